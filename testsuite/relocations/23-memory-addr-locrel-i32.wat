;;! args: --no-entry
;;! run: call run -> 88
;; R_WASM_MEMORY_ADDR_LOCREL_I32: a data word holding (target - address of the word).
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $rel)
    i32.const 0 (@addr $rel)
    i32.load
    i32.add
    i32.load8_u)
  (data $target "\58")
  (data $rel (@segment align=4) (@reloc memory_addr_locrel_i32 $target)))
