;;! args: --no-entry
;;! object: weak-alias-user.wat weak-alias-strong.wat
;;! run: call run -> 7
;; A weak alias is overridden by a strong definition of the alias name; the function itself
;; stays reachable under its own name.
(module
  (import "env" "user" (func $user (result i32)))
  (func $impl (@alias "hook" weak) (result i32) i32.const 1)
  (func $run (export "run") (result i32) call $user call $impl i32.add))
