;;! args: --no-entry libmath.a archive-before-object.wat
;;! archive: libmath.a = m-add.wat m-mul.wat
;;! run: call run -> 20
;; The archive comes before the object that needs it on the command line: lazy symbols are
;; remembered, so the member is still pulled.
(module
  (import "env" "mul" (func $mul (param i32 i32) (result i32)))
  (func $run (export "run") (result i32) i32.const 4 i32.const 5 call $mul))
