;;! args: --no-entry
;;! run: call run -> 9
;; R_WASM_TABLE_INDEX_I32: a function pointer stored in data.
(module
  (type $v_i (func (result i32)))
  (func $nine (result i32) i32.const 9)
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $fp)
    i32.load
    call_indirect (type $v_i))
  (data $fp (@segment align=4) (@funcaddr $nine)))
