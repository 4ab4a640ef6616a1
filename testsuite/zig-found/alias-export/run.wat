(module
  (func $run (result i32) (local $acc i32)
      local.get $acc)
)
