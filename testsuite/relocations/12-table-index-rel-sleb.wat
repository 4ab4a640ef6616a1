;;! args: --no-entry
;;! run: call run -> 0
;; R_WASM_TABLE_INDEX_REL_SLEB: a slot relative to __table_base (the table base, 1).
(module
  (func $f)
  (func $run (export "run") (result i32)
    i32.const 0 (@funcaddr.rel $f)))
