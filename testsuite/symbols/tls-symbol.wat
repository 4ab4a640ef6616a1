;;! args: --no-entry
;;! run: call run -> 7
;; A data symbol in a TLS segment, reached through __tls_base.
(module
  (@features +atomics +bulk-memory)
  (import "env" "__tls_base" (global $tls_base i32))
  (func $run (export "run") (result i32)
    global.get $tls_base
    i32.const 0 (@addr.tls $counter)
    i32.add
    i32.load)
  (data $counter (@segment ".tdata.counter" tls align=4) "\07\00\00\00"))
