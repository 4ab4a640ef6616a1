;;! args: --no-entry
;;! run: call run -> 5
;; R_WASM_MEMORY_ADDR_I32: a pointer in data to another segment, with an addend.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $ptr)
    i32.load
    i32.load8_u)
  (data $bytes "\01\02\03\04\05\06")
  (data $ptr (@segment align=4) (@addr $bytes 4)))
