;;! args: --no-entry
;;! archive: libmath.a = m-add.wat m-mul.wat
;;! run: call run -> 7
;; An undefined reference pulls the member that defines it.
(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (func $run (export "run") (result i32) i32.const 3 i32.const 4 call $add))
