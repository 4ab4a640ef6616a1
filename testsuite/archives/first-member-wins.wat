;;! args: --no-entry
;;! archive: libvalue.a = m-value-1.wat m-value-2.wat
;;! run: call run -> 1
;; Two members define the same symbol: the first one in the archive is pulled.
(module
  (import "env" "value" (func $value (result i32)))
  (func $run (export "run") (result i32) call $value))
