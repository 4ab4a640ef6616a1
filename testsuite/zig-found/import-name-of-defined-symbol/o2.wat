(module
  (func $sym4 (result i32) i32.const 887)
)
