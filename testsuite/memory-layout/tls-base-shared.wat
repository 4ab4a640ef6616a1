;;! args: --no-entry --shared-memory
;; With --shared-memory, __tls_base is a mutable global set by __wasm_init_tls (link only:
;; running needs shared-memory support).
(module
  (@features +atomics +bulk-memory)
  (import "env" "__tls_base" (global $tb (mut i32)))
  (func $run (export "run") (result i32) global.get $tb i32.const 0 (@addr.tls $t) drop)
  (data $t (@segment ".tdata.t" tls align=4) "\01\00\00\00"))
