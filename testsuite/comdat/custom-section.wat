;;! args: --no-entry --export=f
;;! object: custom-section-b.wat
;; A custom section in a COMDAT group is dropped with the group's discarded copy: the output
;; `.comdat_note` holds only the first object's bytes (plus the non-COMDAT one).
(module
  (func $f (@comdat "c") (result i32) i32.const 1)
  (@section ".comdat_note" (@comdat "c") "first"))
