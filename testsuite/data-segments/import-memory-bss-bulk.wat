;;! args: --no-entry --import-memory --export=run
;; With an imported memory and bulk-memory, `.bss` is cleared by __wasm_init_memory (the start
;; function) instead.
(module
  (@features +bulk-memory)
  (func $run (result i32) i32.const 0 (@addr $z) i32.load)
  (data $z (@segment ".bss.z" align=4) (@zero 8)))
