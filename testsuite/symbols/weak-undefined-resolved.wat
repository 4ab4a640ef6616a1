;;! args: --no-entry
;;! object: weak-undefined-resolved-def.wat
;;! run: call run -> 31
;; A weak undefined reference is satisfied by a definition in another object.
(module
  (import "env" "maybe" (func $maybe (@sym weak) (result i32)))
  (func $run (export "run") (result i32) call $maybe))
