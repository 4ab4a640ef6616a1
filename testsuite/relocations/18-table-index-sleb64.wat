;;! args: --no-entry -mwasm64
;;! run: call run -> 9
;; R_WASM_TABLE_INDEX_SLEB64: a function's slot as an `i64.const` for call_indirect (the table is 64-bit).
(module
  (@wasm64)
  (type $v_i (func (result i32)))
  (func $nine (result i32) i32.const 9)
  (func $run (export "run") (result i32)
    i64.const 0 (@funcaddr $nine)
    call_indirect (type $v_i)))
