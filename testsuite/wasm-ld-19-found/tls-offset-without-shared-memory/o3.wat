(module
  (import "env" "__tls_base" (global $__tls_base i32))
  (import "env" "tr2" (func $tr2 (result i32)))
  (func $u2 (result i32)
    global.get $__tls_base
    i32.const 0 (@addr.tls $tv2)
    i32.add
    call $tr2
    i32.add)
  (data $tv2 (@segment ".tdata.tv2" tls align=4) "\ed\ff\ff\ff")
)
