;;! args: --no-entry
;;! run: call run -> 1234
;; R_WASM_MEMORY_ADDR_LEB: the offset of a load holds the address.
(module
  (func $run (export "run") (result i32)
    i32.const 0
    i32.load offset=0 (@addr $value))
  (data $value (@segment align=4) "\d2\04\00\00"))
