;;! args: --no-entry
;;! run: call run -> 8
;; R_WASM_TABLE_NUMBER_LEB on call_indirect's table operand (the indirect function table).
(module
  (type $v_i (func (result i32)))
  (func $eight (result i32) i32.const 8)
  (func $run (export "run") (result i32)
    i32.const 0 (@funcaddr $eight)
    call_indirect (type $v_i)))
