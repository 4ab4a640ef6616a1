;;! args: --no-entry --shared-memory
;;! expect-error: 'atomics' feature must be used in order to use shared memory
;; --shared-memory needs objects built with atomics and bulk-memory.
(module
  (@features +sign-ext)
  (func $run (export "run") (result i32) i32.const 1))
