;;! args: --no-entry --strip-debug --keep-section=.debug_info
;;! run: call run -> 3
;; --keep-section does not bring back a .debug_* section that --strip-debug removes (rust-lld
;; drops both debug sections).
(module
  (func $run (export "run") (result i32) i32.const 3)
  (@section ".debug_info" "info")
  (@section ".debug_line" "line"))
