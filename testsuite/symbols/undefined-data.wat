;;! args: --no-entry
;;! expect-error: undefined symbol: missing_data
;; An undefined data symbol is an error (data cannot be imported).
(module
  (@undef-data $missing_data)
  (func $run (export "run") (result i32) i32.const 0 (@addr $missing_data)))
