;;! args: --no-entry --export-dynamic --export=second
;;! run: call run -> 1
;; Non-TLS relocations (MEMORY_ADDR_SLEB in code, MEMORY_ADDR_I32 in data) against symbols in
;; the TLS segment, and TLS data symbols exported as globals: wasm-ld 22 gives all of them the
;; offset from the start of .tdata (0 and 1 here), not the address (its support for objects
;; made before the TLS relocations). `run` loads the byte at address 1 (0: below the data) and
;; the word `ptr` (1).
(module
  (@features +atomics +bulk-memory)
  (import "env" "__tls_base" (global $tls_base i32))
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $second)
    i32.load8_u
    i32.const 0 (@addr $ptr)
    i32.load
    i32.add)
  (data $pad (@segment ".data.pad") "\01\02\03\04")
  (data $ptr (@segment ".data.ptr" align=4) (@addr $second 0))
  (data $tdata (@segment ".tdata.vars" tls) (@sym $first) "\0c" (@sym $second) "\0d"))
