(module
  (@features +bulk-memory +sign-ext)
  (func $b (result i32) i32.const 1))
