;;! args: --no-entry
;;! object: object-table-and-indirect-b.wat
;;! run: call run -> 7
;; An object defining its own externref table, plus the indirect function table from another
;; object: both tables exist (the object's table first).
(module
  (import "env" "call_b" (func $call_b (result i32)))
  (table $refs 2 externref)
  (func $run (export "run") (result i32) call $call_b table.size $refs i32.add))
