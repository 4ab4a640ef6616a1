;;! args: --no-entry --export-dynamic
;;! run: call visible -> 3
;; --export-dynamic exports every defined symbol with default visibility (hidden ones stay
;; unexported).
(module
  (func $visible (result i32) i32.const 3)
  (func $secret (@sym hidden) (result i32) i32.const 4))
