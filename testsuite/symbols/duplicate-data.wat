;;! args: --no-entry
;;! object: duplicate-data-other.wat
;;! expect-error: duplicate symbol: table_data
;; Two strong data definitions of the same name.
(module
  (func $run (export "run") (result i32) i32.const 0 (@addr $table_data))
  (data $table_data "a"))
