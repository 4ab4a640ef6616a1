;;! object: across-objects-b.wat lib-print.wat
;;! run: _start
;;! stdout: cbBaAd
;; Constructors of all objects are stable-sorted by priority; ties keep collection order
;; (object order, then each object's list). This object: 300:a 100:b 65535:d; the next one:
;; 50:c 100:B 300:A. Sorted: c(50) b B(100) a A(300) d(65535).
(module
  (import "env" "push" (func $push (param i32)))
  (import "env" "flush" (func $flush))
  (func $a (@init 300) i32.const 97 call $push)
  (func $b (@init 100) i32.const 98 call $push)
  (func $d (@init) i32.const 100 call $push)
  (func $_start (export "_start") call $flush))
