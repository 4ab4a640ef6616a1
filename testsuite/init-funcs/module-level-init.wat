;;! object: lib-print.wat
;;! run: _start
;;! stdout: qp
;; Init functions given at module level, in the order written (priority 10 then 20).
(module
  (import "env" "push" (func $push (param i32)))
  (import "env" "flush" (func $flush))
  (func $p i32.const 112 call $push)
  (func $q i32.const 113 call $push)
  (@init $p 20)
  (@init $q 10)
  (func $_start (export "_start") call $flush))
