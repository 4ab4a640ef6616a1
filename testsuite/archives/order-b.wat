(module
  (import "env" "fy" (func $fy (result i32)))
  (func $b_uses_fy (result i32) call $fy))
