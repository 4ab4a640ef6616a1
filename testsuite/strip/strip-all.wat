;;! args: --no-entry --strip-all
;;! run: call run -> 1
;; --strip-all drops name, producers, target_features and debug sections, but keeps other custom
;; sections.
(module
  (@features +sign-ext)
  (@producers (processed-by "tool" "1"))
  (func $run (export "run") (result i32) i32.const 1)
  (@section ".debug_info" "debug")
  (@section "keep.me" "data"))
