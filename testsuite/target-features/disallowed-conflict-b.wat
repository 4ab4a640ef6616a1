(module
  (@features -bulk-memory)
  (func $b (result i32) i32.const 1))
