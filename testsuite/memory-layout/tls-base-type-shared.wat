;;! args: --no-entry --shared-memory --max-memory=131072
;;! expect-error: Global type mismatch: __tls_base
;;! expect-error: >>> defined as var i32 in <internal>
;;! expect-error: >>> defined as const i32 in
;; With shared memory the linker defines __tls_base (a mutable i32, set by __wasm_init_tls)
;; before reading any input, so an object that imports it as immutable is refused. Without
;; shared memory __tls_base is made only when referenced and takes no part in the check
;; (memory-layout/tls-base.wat).
(module
  (@features +atomics +bulk-memory)
  (import "env" "__tls_base" (global $tls_base i32))
  (func $run (export "run") (result i32)
    global.get $tls_base
    i32.const 0 (@addr.tls $v)
    i32.add
    i32.load)
  (data $v (@segment ".tdata.v" tls align=4) "\07\00\00\00"))
