(module
  (import "env" "impl_alias" (func $a (result i32)))
  (func $run (export "run") (result i32) call $a))
