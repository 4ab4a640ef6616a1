(module
  (func $b (@comdat "C") (result i32) i32.const 1)
  (data $cd2 (@comdat "C") (@segment align=4) "\02\00\00\00"))
