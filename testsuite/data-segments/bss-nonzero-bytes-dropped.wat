;;! args: --no-entry
;;! run: call run -> 0
;; A `.bss` segment is never emitted, even when its bytes are not zero: memory holds zeros.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $b)
    i32.load8_u)
  (data $b (@segment ".bss.b") "\2a"))
