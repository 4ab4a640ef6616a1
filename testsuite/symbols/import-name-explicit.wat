;;! args: --no-entry --export=run
;; An import from a module other than `env` carries an explicit import name, so it is imported.
(module
  (import "host" "get_value" (func $get (result i32)))
  (func $run (result i32) call $get))
