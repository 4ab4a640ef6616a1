;;! args: --no-entry -mwasm64
;;! run: call run -> 0
;; R_WASM_TABLE_INDEX_REL_SLEB64: a slot relative to __table_base, 64-bit.
(module
  (@wasm64)
  (func $f)
  (func $run (export "run") (result i64)
    i64.const 0 (@funcaddr.rel $f)))
