;;! args: --no-entry --start-lib m-add.wat m-mul.wat --end-lib
;;! object: m-add.wat m-mul.wat
;;! run: call run -> 8
;; Objects between --start-lib and --end-lib behave like archive members.
(module
  (import "env" "mul" (func $mul (param i32 i32) (result i32)))
  (func $run (export "run") (result i32) i32.const 2 i32.const 4 call $mul))
