;;! args: --no-entry --export=f
;; A debug relocation against a GC'd function gets the tombstone value.
(module
  (func $dead (result i32) i32.const 9)
  (func $f)
  (@section ".debug_info" (@reloc function_offset_i32 $dead) (@reloc function_offset_i32 $f))
  (@section ".debug_ranges" (@reloc function_offset_i32 $dead)))
