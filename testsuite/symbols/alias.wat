;;! args: --no-entry
;;! object: alias-user.wat
;;! run: call run -> 21
;; A second symbol (an alias) for the same function resolves another object's reference.
(module
  (func $impl (@alias "impl_alias") (result i32) i32.const 21))
