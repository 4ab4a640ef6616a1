;;! args: --no-entry --export=run
;;! expect-error: undefined symbol: get_value
;; An import module without an explicit import name does not make a symbol importable.
(module
  (import "host" "get_value" (func $get (@sym no_explicit_name) (result i32)))
  (func $run (result i32) call $get))
