;;! args: --no-entry
;;! run: call run -> 3
;; The table holds slot 0 (empty) plus one slot per address-taken function.
(module
  (import "env" "__indirect_function_table" (table $t 0 funcref))
  (func $a) (func $b)
  (func $run (export "run") (result i32)
    i32.const 0 (@funcaddr $a) drop
    i32.const 0 (@funcaddr $b) drop
    table.size $t))
