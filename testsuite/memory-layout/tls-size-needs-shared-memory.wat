;;! args: --no-entry
;;! expect-error: undefined symbol: __tls_size
;; __tls_size exists only with --shared-memory.
(module
  (@features +atomics +bulk-memory)
  (import "env" "__tls_size" (global $ts i32))
  (func $run (export "run") (result i32) global.get $ts i32.const 0 (@addr.tls $t) drop)
  (data $t (@segment ".tdata.t" tls align=4) "\01\00\00\00")
  (data $u (@segment ".tdata.u" tls) "abcdef"))
