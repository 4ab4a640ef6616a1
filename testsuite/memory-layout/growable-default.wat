;;! args: --no-entry
;;! run: call run -> 2
;; By default there is no maximum: memory.grow returns the old size.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $d) drop
    i32.const 1 memory.grow)
  (memory 0)
  (data $d (@segment ".data.d" align=4) "\01\02\03\04\05"))
