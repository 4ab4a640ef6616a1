;;! args: --no-entry --strip-all --export=helper
;;! run: call helper -> 6
;; --strip-all does not touch exports or code.
(module
  (func $helper (result i32) i32.const 6))
