(module
  (import "env" "mul" (func $mul (param i32 i32) (result i32)))
  (func $square (param i32) (result i32) local.get 0 local.get 0 call $mul))
