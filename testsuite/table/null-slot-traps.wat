;;! args: --no-entry
;;! run: call run
;;! trap: uninitialized element
;; Slot 0 is never filled: calling through it traps.
(module
  (type $v (func))
  (func $a)
  (func $run (export "run")
    i32.const 0 (@funcaddr $a) drop
    i32.const 0
    call_indirect (type $v)))
