;;! args: --no-entry weak-def-not-replaced-by-member.wat m-weak-value.wat libvalue.a
;;! archive: libvalue.a = m-value-2.wat
;;! object: m-weak-value.wat
;;! run: call run -> 50
;; A weak definition in an object is not replaced by a strong definition in an archive
;; member (members are only pulled for undefined symbols).
(module
  (import "env" "value" (func $value (result i32)))
  (func $run (export "run") (result i32) call $value))
