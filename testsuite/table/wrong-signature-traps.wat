;;! args: --no-entry
;;! run: call run
;;! trap: indirect call type mismatch
;; call_indirect with the wrong type traps at run time.
(module
  (type $v_i (func (result i32)))
  (func $a)
  (func $run (export "run") (result i32)
    i32.const 0 (@funcaddr $a)
    call_indirect (type $v_i)))
