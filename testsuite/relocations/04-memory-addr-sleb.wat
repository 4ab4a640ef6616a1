;;! args: --no-entry
;;! run: call run -> 77
;; R_WASM_MEMORY_ADDR_SLEB: `i32.const` with a data address, then a load.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $x)
    i32.load8_u)
  (data $x "\4d"))
