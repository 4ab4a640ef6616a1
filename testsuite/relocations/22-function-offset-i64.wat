;;! args: --no-entry -mwasm64 --export=f
;; R_WASM_FUNCTION_OFFSET_I64: an 8-byte code offset in a debug section (DWARF64 style).
(module
  (@wasm64)
  (func $f (result i32) i32.const 1)
  (@section ".debug_info" (@reloc function_offset_i64 $f) (@reloc function_offset_i64 $f 1)))
