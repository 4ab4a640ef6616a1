(module
  (@producers (language "Rust" "") (processed-by "clang" "14.0.6") (processed-by "rustc" "1.95")))
