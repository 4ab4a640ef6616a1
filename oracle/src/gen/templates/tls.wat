;; Thread-local variables in two objects without shared memory: .tdata segments are placed
;; after __tls_base, and MEMORY_ADDR_TLS_SLEB gives each variable's offset from it.
;;# expect V0 + V1 + V2
;;# part a object
(@features +atomics +bulk-memory)
(import "env" "__tls_base" (global $__tls_base i32))
(import "env" "tr{K}" (func $tr{K} (result i32)))
(func $u{K} (result i32)
  global.get $__tls_base
  i32.const 0 (@addr.tls $tv{K})
  i32.add
  i32.load
  call $tr{K}
  i32.add)
(data $tv{K} (@segment ".tdata.tv{K}" tls align=4) {V0:bytes})
;;# part b object
(@features +atomics +bulk-memory)
(import "env" "__tls_base" (global $__tls_base i32))
(func $tr{K} (result i32)
  global.get $__tls_base
  i32.const 0 (@addr.tls $tw{K} 4)
  i32.add
  i32.load
  global.get $__tls_base
  i32.const 0 (@addr.tls $tw{K})
  i32.add
  i32.load
  i32.add)
(data $tw{K} (@segment ".tdata.tw{K}" tls align=8) {V1:bytes} {V2:bytes})
