;;! args: --no-entry
;;! object: union-b.wat
;;! run: call run -> 1
;; An object without a target_features section (like llvm-mc output) links with one that has it.
(module
  (@no-features)
  (import "env" "b" (func $b (result i32)))
  (func $run (export "run") (result i32) call $b))
