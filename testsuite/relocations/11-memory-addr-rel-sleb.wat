;;! args: --no-entry
;;! run: call run -> 66
;; R_WASM_MEMORY_ADDR_REL_SLEB: an address relative to __memory_base (0 in a static link).
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr.rel $x)
    i32.load8_u)
  (data $x "\42"))
