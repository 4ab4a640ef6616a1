;;! object: lib-print.wat
;;! archive: libm.a = ctor-member.wat
;;! run: _start
;;! stdout: mM
;; A pulled archive member's constructor runs (priority 1 before this object's 2).
(module
  (import "env" "push" (func $push (param i32)))
  (import "env" "flush" (func $flush))
  (import "env" "member_fn" (func $member_fn))
  (func $c (@init 2) i32.const 77 call $push)
  (func $_start (export "_start") call $member_fn call $flush))
