;;! args: --no-entry -mwasm64
;;! run: call run -> 13
;; R_WASM_MEMORY_ADDR_TLS_SLEB64: an offset from __tls_base into .tdata, 64-bit.
(module
  (@wasm64)
  (@features +atomics +bulk-memory)
  (import "env" "__tls_base" (global $tls_base i64))
  (func $run (export "run") (result i32)
    global.get $tls_base
    i64.const 0 (@addr.tls $second)
    i64.add
    i32.load8_u)
  (data $tdata (@segment ".tdata.vars" tls) (@sym $first) "\0c" (@sym $second) "\0d"))
