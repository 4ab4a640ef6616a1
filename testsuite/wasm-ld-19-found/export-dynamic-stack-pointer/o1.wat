(module
  (import "env" "__tls_base" (global $__tls_base i32))
  (func $u3 (result i32)
    global.get $__tls_base
    i32.const 0 (@addr.tls $tv3)
    i32.add)
  (data $tv3 (@segment ".tdata.tv3" tls align=4) "\c3\02\00\00")
)
