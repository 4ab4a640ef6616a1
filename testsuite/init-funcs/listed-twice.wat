;;! object: lib-print.wat
;;! run: _start
;;! stdout: zz
;; A function listed twice as an init function is called twice.
(module
  (import "env" "push" (func $push (param i32)))
  (import "env" "flush" (func $flush))
  (func $c (@init 5) (@init 5) i32.const 122 call $push)
  (func $_start (export "_start") call $flush))
