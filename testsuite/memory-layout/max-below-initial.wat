;;! args: --no-entry --initial-memory=262144 --max-memory=131072
;;! expect-error: maximum memory too small
;; --max-memory below the initial size is an error.
(module
  (func $run (export "run") (result i32) i32.const 0))
