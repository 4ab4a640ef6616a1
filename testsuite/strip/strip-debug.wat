;;! args: --no-entry --strip-debug
;;! run: call run -> 1
;; --strip-debug drops only the .debug_* sections.
(module
  (@producers (processed-by "tool" "1"))
  (func $run (export "run") (result i32) i32.const 1)
  (@section ".debug_info" "debug")
  (@section ".debug_line" "lines")
  (@section "keep.me" "data"))
