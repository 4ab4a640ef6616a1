;;! args: --no-entry
;;! run: call public_api -> 3
;; An export name (as clang's export_name attribute gives) differs from the symbol name.
(module
  (func $internal_impl (export "public_api") (result i32) i32.const 3))
