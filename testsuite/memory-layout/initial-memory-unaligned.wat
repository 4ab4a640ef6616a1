;;! args: --no-entry --initial-memory=70000
;;! expect-error: initial memory must be aligned to the page size (65536 bytes)
;; --initial-memory must be a whole number of pages.
(module
  (func $run (export "run") (result i32) i32.const 0))
