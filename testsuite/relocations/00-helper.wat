(module
  (func $helper (param i32) (result i32)
    local.get 0
    i32.const 7
    i32.add))
