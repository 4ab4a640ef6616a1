;;! args: --no-entry --export=f --export=g
;;! object: debug-info-relocs-b.wat
;; DWARF-like sections with FUNCTION_OFFSET_I32, SECTION_OFFSET_I32 and MEMORY_ADDR_I32
;; relocations, from two objects: offsets are rebased into the concatenated sections.
(module
  (func $f (result i32) i32.const 0 (@addr $v) i32.load)
  (data $v (@segment align=4) "\01\00\00\00")
  (@section ".debug_str" "f\00")
  (@section ".debug_info" (@reloc function_offset_i32 $f) (@reloc section_offset_i32 $.debug_str) (@addr $v)))
