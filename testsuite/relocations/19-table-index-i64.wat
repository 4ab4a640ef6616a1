;;! args: --no-entry -mwasm64
;;! run: call run -> 6
;; R_WASM_TABLE_INDEX_I64: an 8-byte function pointer in data.
(module
  (@wasm64)
  (type $v_i (func (result i32)))
  (func $six (result i32) i32.const 6)
  (func $run (export "run") (result i32)
    i64.const 0 (@addr $fp)
    i64.load
    call_indirect (type $v_i))
  (data $fp (@segment align=8) (@funcaddr $six)))
