;;! args: --no-entry -mwasm64
;;! run: call run -> 77
;; R_WASM_MEMORY_ADDR_SLEB64: `i64.const` with a data address in a 64-bit memory.
(module
  (@wasm64)
  (func $run (export "run") (result i32)
    i64.const 0 (@addr $x)
    i32.load8_u)
  (data $x "\4d"))
