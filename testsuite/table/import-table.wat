;;! args: --no-entry --import-table --export=run
;; --import-table imports the table from env.__indirect_function_table.
(module
  (func $a)
  (func $run (result i32) i32.const 0 (@funcaddr $a)))
