;;! args: --no-entry --table-base=10
;;! run: call run -> 10
;; --table-base=10: the first slot is 10.
(module
  (func $f)
  (func $run (export "run") (result i32) i32.const 0 (@funcaddr $f)))
