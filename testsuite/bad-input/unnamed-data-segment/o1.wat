(module
  (func $sym1 (result i32) i32.const 713)
)
