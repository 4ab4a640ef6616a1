;;! args: --no-entry --unresolved-symbols=ignore-all
;;! run: call run
;;! trap: unreachable
;; --unresolved-symbols=ignore-all: a call to an undefined function reaches `undefined_stub`.
(module
  (import "env" "missing" (func $missing (result i32)))
  (func $run (export "run") (result i32) call $missing))
