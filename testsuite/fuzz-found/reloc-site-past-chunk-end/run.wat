(module
  ;; archive-weak-kept #0 part a
  (func $u0 (result i32) call $s0)
  (func $s0 (@sym weak) (result i32) i32.const 476)
  (func $run (result i32) (local $acc i32)
      local.get $acc i32.const 31 i32.mul call $u0 i32.add local.set $acc
      local.get $acc)
)
