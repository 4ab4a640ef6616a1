;;! args: --no-entry
;;! object: disallowed-conflict-b.wat
;;! expect-error: Target feature 'bulk-memory' used in disallowed-conflict.o is disallowed by disallowed-conflict-b.o
;; One object uses a feature another one disallows.
(module
  (@features +bulk-memory)
  (import "env" "b" (func $b (result i32)))
  (func $run (export "run") (result i32) call $b))
