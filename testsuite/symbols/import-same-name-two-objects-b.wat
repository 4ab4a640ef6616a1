(module
  (import "host" "f" (func $f (result i32)))
  (func $run2 (result i32) call $f))
