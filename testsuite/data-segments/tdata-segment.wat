;;! args: --no-entry
;;! run: call run -> 5
;; A TLS segment becomes `.tdata`, emitted first; __tls_base points at it.
(module
  (@features +atomics +bulk-memory)
  (import "env" "__tls_base" (global $tb i32))
  (func $run (export "run") (result i32)
    global.get $tb
    i32.const 0 (@addr.tls $t)
    i32.add
    i32.load8_u)
  (data $plain "p")
  (data $t (@segment ".tdata.t" tls) "\05"))
