;;! args: --no-entry
;;! archive: libvalue.a = m-value-2.wat
;;! run: call run -> 1
;; A symbol already defined by an object does not pull the archive member that also defines it
;; (so there is no duplicate).
(module
  (func $value (result i32) i32.const 1)
  (func $run (export "run") (result i32) call $value))
