;;! args: --no-entry
;;! expect-error: undefined weak global symbol
;; A weakly undefined global is refused even when nothing uses it: LLVM's object reader
;; rejects the symbol table entry, so wasm-ld refuses the object before linking; GC does not
;; matter (symbols/weak-undefined-global.wat is the referenced case).
(module
  (import "env" "opt_global" (global $g (@sym weak) i32))
  (func $run (export "run") (result i32) i32.const 1))
