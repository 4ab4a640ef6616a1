;;! args: --no-entry --max-memory=131072
;;! run: call run -> -1
;; --max-memory=131072 (2 pages): growing by two pages from 2 fails (-1).
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $d) drop
    i32.const 2 memory.grow)
  (memory 0)
  (data $d (@segment ".data.d" align=4) "\01\02\03\04\05"))
