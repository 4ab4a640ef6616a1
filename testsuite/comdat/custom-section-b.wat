(module
  (func $f (@comdat "c") (result i32) i32.const 2)
  (@section ".comdat_note" (@comdat "c") "second")
  (@section ".comdat_note" "plain"))
