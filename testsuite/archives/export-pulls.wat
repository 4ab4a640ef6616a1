;;! args: --no-entry --export=add
;;! archive: libmath.a = m-add.wat m-mul.wat
;;! run: call add 2 40 -> 42
;; --export=NAME pulls the member defining NAME.
(module
  (func $run (export "run") (result i32) i32.const 0))
