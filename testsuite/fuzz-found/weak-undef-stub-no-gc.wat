;;! args: --no-entry --no-gc-sections
;;! run: call run -> 0
;; Found by the `differential` fuzz target (templates weak-undef, archive-weak-ref): a weak
;; undefined function whose address is taken but that is never called. wasm-ld creates the
;; `undefined_weak:wf` stub for it and, without GC, keeps it in the output (function index 1,
;; after __wasm_call_ctors); touchstone-ld leaves it out. The address is 0 either way.
(module
  (import "env" "wf" (func $wf (@sym weak) (result i32)))
  (func $run (export "run") (result i32)
    i32.const 0 (@funcaddr $wf)))
