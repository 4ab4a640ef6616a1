;;! args: --no-entry
;;! run: call run -> 99
;; R_WASM_MEMORY_ADDR_SLEB on both a store and a load address.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $cell)
    i32.const 99
    i32.store
    i32.const 0 (@addr $cell)
    i32.load)
  (data $cell (@segment ".bss.cell" align=4) (@zero 4)))
