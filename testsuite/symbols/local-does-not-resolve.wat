;;! args: --no-entry
;;! object: local-does-not-resolve-def.wat
;;! expect-error: undefined symbol: hidden_away
;; A local definition does not satisfy another object's undefined reference.
(module
  (import "env" "hidden_away" (func $h (result i32)))
  (func $run (export "run") (result i32) call $h))
