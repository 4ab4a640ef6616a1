;;! args: --no-entry
;;! object: hidden-resolves-def.wat
;;! run: call run -> 4
;; A hidden definition still resolves references from other objects.
(module
  (import "env" "h" (func $h (result i32)))
  (func $run (export "run") (result i32) call $h))
