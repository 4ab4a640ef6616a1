(module
  (func $g (result i32) i32.const 2)
  (@section ".debug_str" "g\00")
  (@section ".debug_info" (@reloc function_offset_i32 $g) (@reloc section_offset_i32 $.debug_str 0)))
