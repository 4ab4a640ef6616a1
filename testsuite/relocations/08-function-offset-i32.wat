;;! args: --no-entry --export=f
;; R_WASM_FUNCTION_OFFSET_I32 in a DWARF-like custom section: the code offset of a function.
(module
  (func $g)
  (func $f (result i32) i32.const 1)
  (@section ".debug_info" "\00\00" (@reloc function_offset_i32 $f) (@reloc function_offset_i32 $f 2)))
