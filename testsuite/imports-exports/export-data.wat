;;! args: --no-entry --export=table_data --export=run
;;! run: call run -> 1
;; Exporting a data symbol creates an immutable global holding its address.
(module
  (func $run (result i32) i32.const 1)
  (data $table_data "abc"))
