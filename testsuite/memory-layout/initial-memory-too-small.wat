;;! args: --no-entry --initial-memory=65536
;;! expect-error: initial memory too small
;; --initial-memory smaller than the stack plus data is an error.
(module
  (func $run (export "run") (result i32) i32.const 0 (@addr $d))
  (data $d (@zero 100)))
