;;! args: --no-entry --export=run
;;! run: call run -> 3
;; __wasm_call_ctors is referenced only by a function GC removes: wasm-ld 22 drops it too
;; (it is kept when live code calls it, when exported, when an init function is live, or
;; without GC).
(module
  (import "env" "__wasm_call_ctors" (func $ctors))
  (func $dead call $ctors)
  (func $run (export "run") (result i32) i32.const 3))
