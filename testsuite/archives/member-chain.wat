;;! args: --no-entry
;;! archive: libmath.a = m-add.wat m-mul.wat m-square.wat
;;! run: call run -> 36
;; A pulled member's own undefined reference pulls an earlier member of the same archive.
(module
  (import "env" "square" (func $square (param i32) (result i32)))
  (func $run (export "run") (result i32) i32.const 6 call $square))
