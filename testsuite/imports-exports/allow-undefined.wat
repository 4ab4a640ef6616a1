;;! args: --no-entry --allow-undefined --export=run
;; --allow-undefined imports undefined functions from `env`.
(module
  (import "env" "host_fn" (func $host_fn (result i32)))
  (func $run (result i32) call $host_fn))
