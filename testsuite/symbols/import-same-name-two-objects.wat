;;! args: --no-entry --export=run
;;! object: import-same-name-two-objects-b.wat
;; Two objects importing the same module/field with the same signature share one import.
(module
  (import "host" "f" (func $f (result i32)))
  (import "env" "run2" (func $run2 (result i32)))
  (func $run (result i32) call $f call $run2 i32.add))
