;;! args: --no-entry
;;! run: call run -> 4
;; Nothing takes a function's address: no table at all.
(module
  (func $run (export "run") (result i32) i32.const 4))
