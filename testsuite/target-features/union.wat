;;! args: --no-entry
;;! object: union-b.wat
;;! run: call run -> 1
;; The output's target_features is the union of the objects' used features.
(module
  (@features +sign-ext +mutable-globals)
  (import "env" "b" (func $b (result i32)))
  (func $run (export "run") (result i32) call $b))
