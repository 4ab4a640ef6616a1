;;! args: --no-entry --initial-heap=131072
;;! run: call run -> 4
;; --initial-heap adds heap pages after __heap_base.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $d) drop
    memory.size)
  (memory 0)
  (data $d (@segment ".data.d" align=4) "\01\02\03\04\05"))
