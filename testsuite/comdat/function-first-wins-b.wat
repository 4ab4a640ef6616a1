(module
  (func $inline_fn (@comdat "inline_fn") (result i32) i32.const 2)
  (func $from_b (result i32)
    call $inline_fn
    i32.const 9
    i32.add))
