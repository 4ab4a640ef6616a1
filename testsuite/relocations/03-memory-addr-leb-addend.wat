;;! args: --no-entry
;;! run: call run -> 22
;; R_WASM_MEMORY_ADDR_LEB with an addend: the second word of the symbol.
(module
  (func $run (export "run") (result i32)
    i32.const 0
    i32.load (@addr $pair 4))
  (data $pair (@segment align=4) "\0b\00\00\00\16\00\00\00"))
