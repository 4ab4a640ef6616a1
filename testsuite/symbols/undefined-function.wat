;;! args: --no-entry
;;! expect-error: undefined symbol: missing
;; An undefined function without an import name is an error.
(module
  (import "env" "missing" (func $missing))
  (func $run (export "run") call $missing))
