;;! args: --no-entry
;;! run: call run
;;! trap: unreachable
;; Calling a weak undefined function reaches the `undefined_weak:` stub, which traps.
(module
  (import "env" "maybe" (func $maybe (@sym weak) (result i32)))
  (func $run (export "run") (result i32) call $maybe))
