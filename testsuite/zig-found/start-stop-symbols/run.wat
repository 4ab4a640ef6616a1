(module
  (import "env" "u2" (func $u2 (result i32)))
  (func $run (result i32) (local $acc i32)
      local.get $acc i32.const 31 i32.mul call $u2 i32.add local.set $acc
      local.get $acc)
)
