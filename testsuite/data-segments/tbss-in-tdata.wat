;;! args: --no-entry
;;! run: call run -> 0
;; `.tbss` content goes into the one `.tdata` output segment (emitted as zeros), in input
;; order: the .tbss input written first stays first.
(module
  (@features +atomics +bulk-memory)
  (import "env" "__tls_base" (global $tb i32))
  (func $run (export "run") (result i32)
    i32.const 0 (@addr.tls $z)
    i32.const 0 (@addr.tls $t)
    i32.gt_u)
  (data $z (@segment ".tbss.z" tls align=4) (@zero 4))
  (data $t (@segment ".tdata.t" tls) "\05"))
