(module
  (import "env" "u0" (func $u0 (result i32)))
  (func $run (result i32) (local $acc i32)
      local.get $acc i32.const 31 i32.mul call $u0 i32.add local.set $acc
      local.get $acc)
)
