;;! args: --no-entry --features=mutable-globals
;;! expect-error: Target feature 'sign-ext' used by features-flag-missing.o is not allowed.
;; A used feature outside --features=LIST is an error.
(module
  (@features +sign-ext)
  (func $run (export "run") (result i32) i32.const 1))
