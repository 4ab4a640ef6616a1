;;! args: --no-entry
;;! run: call run -> 13
;; R_WASM_MEMORY_ADDR_TLS_SLEB: an offset from __tls_base into .tdata.
(module
  (@features +atomics +bulk-memory)
  (import "env" "__tls_base" (global $tls_base i32))
  (func $run (export "run") (result i32)
    global.get $tls_base
    i32.const 0 (@addr.tls $second)
    i32.add
    i32.load8_u)
  (data $tdata (@segment ".tdata.vars" tls) (@sym $first) "\0c" (@sym $second) "\0d"))
