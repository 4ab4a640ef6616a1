;;! args: --no-entry
;;! object: group-function-and-data-b.wat
;;! run: call run -> 105
;; One COMDAT group holding a function and its data: the whole group comes from the first
;; object (the function returns its own data).
(module
  (import "env" "from_b" (func $from_b (result i32)))
  (func $get (@comdat "grp") (result i32) i32.const 0 (@addr $val) i32.load8_u)
  (data $val (@comdat "grp") "\05")
  (func $run (export "run") (result i32) call $get call $from_b i32.add))
