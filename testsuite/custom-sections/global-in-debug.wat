;;! args: --no-entry --export=f
;; R_WASM_GLOBAL_INDEX_I32 in a debug section (DW_OP_WASM_location of a global).
(module
  (global $g (mut i32) (i32.const 0))
  (func $f global.get $g drop)
  (@section ".debug_info" (@reloc global_index_i32 $g)))
