;;! args: --no-entry --export=f
;;! object: debug-str-merged-b.wat
;; .debug_str is string-merged at -O1: both objects' "shared" land at one offset.
(module
  (func $f)
  (@section ".debug_str" "shared\00only_a\00")
  (@section ".debug_info" (@reloc section_offset_i32 $.debug_str 0)))
