(module
  (@section ".debug_str" "shared\00")
  (@section ".debug_info" (@reloc section_offset_i32 $.debug_str 0)))
