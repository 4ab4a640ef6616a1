;;! args: --no-entry --warn-unresolved-symbols
;;! run: call run -> 5
;; --warn-unresolved-symbols turns the error into a warning; the uncalled stub is harmless.
(module
  (import "env" "missing" (func $missing (result i32)))
  (func $never (result i32) call $missing)
  (func $run (export "run") (result i32) i32.const 5))
