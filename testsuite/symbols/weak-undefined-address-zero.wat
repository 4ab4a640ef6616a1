;;! args: --no-entry
;;! run: call run -> 0
;; The table index of a weak undefined function is 0 (no slot).
(module
  (import "env" "maybe" (func $maybe (@sym weak)))
  (func $run (export "run") (result i32)
    i32.const 0 (@funcaddr $maybe)))
