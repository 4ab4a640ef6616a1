(module
  (func $f (@comdat "two") (result i32) i32.const 2))
