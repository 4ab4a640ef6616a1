;;! args: --no-entry
;;! object: duplicate-strong-other.wat
;;! expect-error: duplicate symbol: value
;; Two strong definitions of the same name.
(module
  (func $value (export "value") (result i32) i32.const 1))
