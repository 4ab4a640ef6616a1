;;! object: lib-print.wat
;;! run: _start
;;! stdout: xy
;; A constructor with results is called and its results dropped.
(module
  (import "env" "push" (func $push (param i32)))
  (import "env" "flush" (func $flush))
  (func $c1 (@init 1) (result i32 i64) i32.const 120 call $push i32.const 5 i64.const 6)
  (func $c2 (@init 2) (result i32) i32.const 121 call $push i32.const 7)
  (func $_start (export "_start") call $flush))
