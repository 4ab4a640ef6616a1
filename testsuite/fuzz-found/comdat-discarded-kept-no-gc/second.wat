(module
  (func $c (@comdat "C") (result i32) i32.const 2)
  (data $cd (@comdat "C") (@segment align=4) "\02\00\00\00"))
