;;! args: --no-entry -z stack-size=1000
;;! expect-error: stack size must be 16-byte aligned
;; The stack size must be a multiple of 16.
(module
  (func $run (export "run") (result i32) i32.const 0))
