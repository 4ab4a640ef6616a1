;;! args: --no-entry
;;! run: call run -> 65536
;; __tls_base without shared memory: an immutable global holding the start of .tdata.
(module
  (@features +atomics +bulk-memory)
  (import "env" "__tls_base" (global $tb i32))
  (func $run (export "run") (result i32) global.get $tb i32.const 0 (@addr.tls $t) drop)
  (data $t (@segment ".tdata.t" tls align=4) "\01\00\00\00"))
