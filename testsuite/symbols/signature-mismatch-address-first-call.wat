(module
  (import "env" "f" (func $f (result i32)))
  (func $call_f (export "call_f") (result i32)
    call $f))
