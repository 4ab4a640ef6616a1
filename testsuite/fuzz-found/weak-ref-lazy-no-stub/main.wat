;;! args: --no-entry libm.a main.wat
;;! archive: libm.a = r.wat
;;! run: call run -> 0
;; Found by the `differential` fuzz target (template archive-weak-ref): the archive comes
;; before the object with a weak reference to `r`, so `r` is a lazy symbol when the weak
;; reference arrives; the member is not pulled, and wasm-ld creates no `undefined_weak:r`
;; stub for a lazy symbol (the output has only `run`). touchstone-ld emits the stub.
(module
  (import "env" "r" (func $r (@sym weak) (result i32)))
  (func $run (export "run") (result i32)
    i32.const 0 (@funcaddr $r)))
