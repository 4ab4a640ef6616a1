;;! args: --no-entry --export=f
;;! expect-error: invalid function relocation: d
;; R_WASM_FUNCTION_INDEX_LEB against a data symbol.
(module
  (func $f
    call $f (@reloc function_index_leb $d))
  (data $d "x"))
