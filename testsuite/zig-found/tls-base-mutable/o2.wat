(module
  (import "env" "__tls_base" (global $__tls_base i32))
  (func $u4 (result i32)
    global.get $__tls_base
    i32.const 0 (@addr.tls $tv4)
    i32.add)
  (data $tv4 (@segment ".tdata.tv4" tls align=4) "\58\5d\7f\33")
)
