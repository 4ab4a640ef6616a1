(module
  (func $hook (result i32) i32.const 6))
