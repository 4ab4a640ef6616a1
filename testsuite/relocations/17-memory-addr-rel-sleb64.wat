;;! args: --no-entry -mwasm64
;;! run: call run -> 66
;; R_WASM_MEMORY_ADDR_REL_SLEB64: an address relative to __memory_base, 64-bit.
(module
  (@wasm64)
  (func $run (export "run") (result i32)
    i64.const 0 (@addr.rel $x)
    i32.load8_u)
  (data $x "\42"))
