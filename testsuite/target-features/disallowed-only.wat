;;! args: --no-entry
;;! run: call run -> 1
;; Disallowed features are never written; only `-` entries give an empty feature set.
(module
  (@features -atomics)
  (func $run (export "run") (result i32) i32.const 1))
