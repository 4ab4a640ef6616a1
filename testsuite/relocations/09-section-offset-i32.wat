;;! args: --no-entry --export=f
;; R_WASM_SECTION_OFFSET_I32: an offset into another custom section (via its section symbol).
(module
  (func $f)
  (@section ".debug_str" "hello\00world\00")
  (@section ".debug_info" (@reloc section_offset_i32 $.debug_str 6)))
