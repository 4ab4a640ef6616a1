;;! args: --no-entry --max-memory=100000
;;! expect-error: maximum memory must be aligned to the page size (65536 bytes)
;; --max-memory must be a whole number of pages.
(module
  (func $run (export "run") (result i32) i32.const 0))
