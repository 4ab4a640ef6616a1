;;! args: --no-entry --global-base=100
;;! expect-error: --global-base cannot be less than stack size when --stack-first is used
;; With the stack first, --global-base must not point into the stack.
(module
  (func $run (export "run") (result i32) i32.const 0 (@addr $d))
  (data $d "\01"))
