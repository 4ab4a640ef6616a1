(module
  (func $f (@comdat "f") (result i32) i32.const 100)
  (func $helper (result i32) call $f i32.const 1 i32.add))
