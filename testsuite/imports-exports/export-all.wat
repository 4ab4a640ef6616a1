;;! args: --no-entry --export-all
;;! run: call hidden_too -> 5
;; --export-all exports every defined symbol, hidden ones included.
(module
  (func $hidden_too (@sym hidden) (result i32) i32.const 5))
