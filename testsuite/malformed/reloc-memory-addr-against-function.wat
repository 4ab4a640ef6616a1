;;! args: --no-entry --export=f
;;! expect-error: invalid data relocation: f
;; R_WASM_MEMORY_ADDR_SLEB against a function symbol.
(module
  (func $f (result i32)
    i32.const 0 (@reloc memory_addr_sleb $f)))
