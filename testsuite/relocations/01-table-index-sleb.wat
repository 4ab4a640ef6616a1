;;! args: --no-entry
;;! run: call run -> 2
;; R_WASM_TABLE_INDEX_SLEB: `i32.const` holding a function's table slot, used by call_indirect.
(module
  (type $v_i (func (result i32)))
  (func $one (result i32) i32.const 1)
  (func $two (result i32) i32.const 2)
  (func $run (export "run") (result i32)
    i32.const 0 (@funcaddr $two)
    call_indirect (type $v_i)))
