;;! args: --no-entry -u mul --export=mul
;;! archive: libmath.a = m-add.wat m-mul.wat
;;! run: call mul 6 7 -> 42
;; -u NAME pulls the member defining NAME although no object references it.
(module
  (func $run (export "run") (result i32) i32.const 0))
