;;! args: --no-entry --initial-memory=262144
;;! run: call run -> 4
;; --initial-memory=262144 gives 4 pages.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $d) drop
    memory.size)
  (memory 0)
  (data $d (@segment ".data.d" align=4) "\01\02\03\04\05"))
