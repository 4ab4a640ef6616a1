(module
  (func $h (@sym hidden) (result i32) i32.const 4))
