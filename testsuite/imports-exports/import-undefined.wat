;;! args: --no-entry --import-undefined --export=run
;; --import-undefined imports undefined functions (like --allow-undefined for imports).
(module
  (import "env" "host_fn" (func $host_fn (result i32)))
  (func $run (result i32) call $host_fn))
