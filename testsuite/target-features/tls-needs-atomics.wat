;;! args: --no-entry
;;! expect-error: 'atomics' feature must be used in order to use thread-local storage
;; Thread-local data needs the atomics feature: an object with a .tdata segment and no
;; target_features section (clang would list atomics and bulk-memory for this code).
(module
  (@no-features)
  (func $run (export "run") (result i32) i32.const 0 (@addr.tls $t))
  (data $t (@segment ".tdata.t" tls) "\01"))
