;;! object: lib-print.wat weak-ctor-strong.wat
;;! run: _start
;;! stdout: S
;; The init list names a symbol: a weak constructor replaced by a strong definition from a later
;; object runs the strong body (once per listing object).
(module
  (import "env" "push" (func $push (param i32)))
  (import "env" "flush" (func $flush))
  (func $init_me (@sym weak) (@init 7) i32.const 119 call $push)
  (func $_start (export "_start") call $flush))
