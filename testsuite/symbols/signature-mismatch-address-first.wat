;;! args: --no-entry --fatal-warnings
;;! object: signature-mismatch-address-first-call.wat signature-mismatch-def.wat
;;! run: call call_f -> 5
;; An undefined function that is only address-taken, with another signature, yields to a
;; later direct call: the call's signature becomes the symbol's, so no mismatch is reported
;; (lld's addUndefinedFunction replaces a symbol not called directly).
(module
  (import "env" "f" (func $f (param f32)))
  (func $addr (export "addr") (result i32)
    i32.const 0 (@funcaddr $f)))
