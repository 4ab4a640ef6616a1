;;! args: --no-entry --strip-debug
;;! run: call run -> 2
;; --strip-debug keeps the name section (only .debug_* go).
(module
  (func $run (export "run") (result i32) i32.const 2)
  (@section ".debug_abbrev" "\01"))
