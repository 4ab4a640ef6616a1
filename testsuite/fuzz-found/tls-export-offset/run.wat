(module
  (import "env" "__tls_base" (global $__tls_base i32))
  (import "env" "al2" (func $al2 (result i32)))
  (import "env" "wal2" (func $wal2 (result i32)))
  (import "env" "u0" (func $u0 (result i32)))
  (import "env" "u1" (func $u1 (result i32)))
  ;; tls #1 part b
  (func $tr1 (result i32)
    global.get $__tls_base
    i32.const 0 (@addr.tls $tw1 4)
    i32.add
    i32.load
    global.get $__tls_base
    i32.const 0 (@addr.tls $tw1)
    i32.add
    i32.load
    i32.add)
  (data $tw1 (@segment ".tdata.tw1" tls align=8) "\9f\28\09\00" "\00\00\00\00")
  ;; alias #2 part b
  (func $u2 (result i32) call $al2 call $wal2 i32.add)
  (func $run (result i32) (local $acc i32)
      local.get $acc i32.const 31 i32.mul call $u0 i32.add local.set $acc
      local.get $acc i32.const 31 i32.mul call $u1 i32.add local.set $acc
      local.get $acc i32.const 31 i32.mul call $u2 i32.add local.set $acc
      local.get $acc)
  (@features +atomics +bulk-memory)
)
