;;! args: --no-entry
;;! object: strong-first-then-weak-weak.wat
;;! run: call run -> 1
;; A strong definition before a weak one: the weak one is ignored.
(module
  (func $value (result i32) i32.const 1)
  (func $run (export "run") (result i32) call $value))
