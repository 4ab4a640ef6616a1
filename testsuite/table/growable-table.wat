;;! args: --no-entry --growable-table
;;! run: call run -> 2
;; --growable-table drops the table maximum: table.grow returns the old size.
(module
  (import "env" "__indirect_function_table" (table $t 0 funcref))
  (func $a)
  (func $run (export "run") (result i32)
    i32.const 0 (@funcaddr $a) drop
    ref.null func
    i32.const 1
    table.grow $t))
