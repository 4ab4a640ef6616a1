;;! args: --no-entry
;;! expect-error: undefined weak global symbol
;; A weak undefined global is refused (there is no stub for a global).
(module
  (import "env" "opt_global" (global $g (@sym weak) i32))
  (func $run (export "run") (result i32) global.get $g))
