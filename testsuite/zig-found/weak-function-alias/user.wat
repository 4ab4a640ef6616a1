(module
  (@features +mutable-globals)
  (import "env" "hook" (func $hook (result i32)))
  (func $user (result i32) call $hook))
