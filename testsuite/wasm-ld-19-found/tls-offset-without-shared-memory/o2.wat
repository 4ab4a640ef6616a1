(module
  (import "env" "__tls_base" (global $__tls_base i32))
  (func $tr2 (result i32)
    global.get $__tls_base
    i32.const 0 (@addr.tls $tw2 4)
    i32.add)
  (data $tw2 (@segment ".tdata.tw2" tls align=8) "\35\00\00\00" "\51\02\00\00")
)
