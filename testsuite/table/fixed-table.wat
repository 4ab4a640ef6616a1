;;! args: --no-entry
;;! run: call run -> -1
;; Without --growable-table the maximum equals the size: table.grow fails.
(module
  (import "env" "__indirect_function_table" (table $t 0 funcref))
  (func $a)
  (func $run (export "run") (result i32)
    i32.const 0 (@funcaddr $a) drop
    ref.null func
    i32.const 1
    table.grow $t))
