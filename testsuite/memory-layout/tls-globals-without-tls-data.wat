;;! args: --no-entry --export=run --shared-memory --max-memory=131072 --no-gc-sections
;; Shared memory without any TLS data and without GC: __tls_base, __tls_size and __tls_align
;; are all kept; __tls_size and __tls_align are 0 (wasm-ld sets them only from a TLS segment).
(module
  (@features +atomics +bulk-memory)
  (func $run (export "run") (result i32) i32.const 3))
