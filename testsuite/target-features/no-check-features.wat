;;! args: --no-entry --no-check-features
;;! object: disallowed-conflict-b.wat
;;! run: call run -> 1
;; --no-check-features lets the conflicting objects link.
(module
  (@features +bulk-memory)
  (import "env" "b" (func $b (result i32)))
  (func $run (export "run") (result i32) call $b))
