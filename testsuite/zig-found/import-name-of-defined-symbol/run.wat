(module
  (import "env" "field4" (func $x4 (@sym "sym4" explicit_name) (result i32)))
  (func $run (result i32) (local $acc i32)
      local.get $acc)
)
