;;! args: --no-entry --export=run
;; The symbol `my_get` is imported as env.real_name (an explicit import name).
(module
  (import "env" "real_name" (func $get (@sym "my_get") (result i32)))
  (func $run (result i32) call $get))
