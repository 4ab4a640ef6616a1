(module
  (import "env" "gl0" (global $gl0 (mut i32)))
  (import "env" "__tls_base" (global $__tls_base i32))
  (import "env" "tr1" (func $tr1 (result i32)))
  ;; globals #0 part a
  (func $u0 (result i32)
    global.get $gl0
    i32.const 938
    i32.add
    global.set $gl0
    global.get $gl0)
  ;; tls #1 part a
  (func $u1 (result i32)
    global.get $__tls_base
    i32.const 0 (@addr.tls $tv1)
    i32.add
    i32.load
    call $tr1
    i32.add)
  (data $tv1 (@segment ".tdata.tv1" tls align=4) "\fc\00\00\00")
  ;; alias #2 part a
  (func $impl2 (@alias "al2") (result i32) i32.const 0)
  (func $impl22 (@alias "wal2" weak) (result i32) i32.const 0)
  (@features +atomics +bulk-memory)
)
