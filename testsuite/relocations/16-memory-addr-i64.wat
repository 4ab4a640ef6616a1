;;! args: --no-entry -mwasm64
;;! run: call run -> 4
;; R_WASM_MEMORY_ADDR_I64: an 8-byte pointer in data, with an addend.
(module
  (@wasm64)
  (func $run (export "run") (result i32)
    i64.const 0 (@addr $ptr)
    i64.load
    i32.load8_u)
  (data $bytes "\01\02\03\04\05")
  (data $ptr (@segment align=8) (@addr $bytes 3)))
