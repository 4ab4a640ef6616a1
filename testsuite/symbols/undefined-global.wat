;;! args: --no-entry
;;! expect-error: undefined symbol: missing_global
;; An undefined global is an error without --allow-undefined.
(module
  (import "env" "missing_global" (global $g i32))
  (func $run (export "run") (result i32) global.get $g))
