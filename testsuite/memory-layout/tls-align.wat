;;! args: --no-entry --shared-memory
;; __tls_align: the largest alignment of the .tdata pieces, with --shared-memory (link only).
(module
  (@features +atomics +bulk-memory)
  (import "env" "__tls_align" (global $ta i32))
  (func $run (export "run") (result i32) global.get $ta i32.const 0 (@addr.tls $t) drop)
  (data $t (@segment ".tdata.t" tls align=8) "\01\00\00\00"))
