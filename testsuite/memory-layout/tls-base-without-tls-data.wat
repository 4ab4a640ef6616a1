;;! args: --no-entry
;;! run: call run -> 0
;; __tls_base without shared memory and without any TLS segment: wasm-ld's layoutMemory sets
;; it only from a TLS segment, so it keeps its initial 0 (not the start of the data).
(module
  (import "env" "__tls_base" (global $tb i32))
  (func $run (export "run") (result i32) global.get $tb)
  (data $d (@segment ".data.d") "\05\00\00\00"))
