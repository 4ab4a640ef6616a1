;;! args: --no-entry --export=run
;;! expect-error: duplicate symbol name hook
;; One object with two symbols of the same name (an undefined `hook` and a defined alias).
(module
  (import "env" "hook" (func $hook (result i32)))
  (func $impl (@alias "hook" weak) (result i32) i32.const 1)
  (func $run (export "run") (result i32) call $hook call $impl i32.add))
