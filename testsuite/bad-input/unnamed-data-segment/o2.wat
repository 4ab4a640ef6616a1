(module
  (import "env" "field1" (func $x1 (@sym "sym1" explicit_name) (result i32)))
  (func $u1 (result i32) call $x1)
)
