;;! args: --no-entry -mwasm64
;;! run: call run -> 1234
;; R_WASM_MEMORY_ADDR_LEB64: the 10-byte offset of a 64-bit load.
(module
  (@wasm64)
  (func $run (export "run") (result i32)
    i64.const 0
    i32.load offset=0 (@addr $value))
  (data $value (@segment align=4) "\d2\04\00\00"))
