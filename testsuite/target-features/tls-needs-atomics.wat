;;! args: --no-entry
;;! expect-error: 'atomics' feature must be used in order to use thread-local storage
;; Thread-local data needs the atomics feature.
(module
  (func $run (export "run") (result i32) i32.const 0 (@addr.tls $t))
  (data $t (@segment ".tdata.t" tls) "\01"))
