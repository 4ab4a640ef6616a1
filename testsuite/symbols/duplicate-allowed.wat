;;! args: --no-entry --allow-multiple-definition
;;! object: duplicate-strong-other.wat
;;! run: call run -> 1
;; --allow-multiple-definition: the first definition wins.
(module
  (func $value (result i32) i32.const 1)
  (func $run (export "run") (result i32) call $value))
