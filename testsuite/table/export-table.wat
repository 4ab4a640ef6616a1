;;! args: --no-entry --export-table
;;! run: call run -> 1
;; --export-table exports __indirect_function_table.
(module
  (func $a)
  (func $run (export "run") (result i32) i32.const 0 (@funcaddr $a)))
