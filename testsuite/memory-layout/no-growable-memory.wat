;;! args: --no-entry --no-growable-memory
;;! run: call run -> -1
;; --no-growable-memory: max = initial, so memory.grow fails.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $d) drop
    i32.const 1 memory.grow)
  (memory 0)
  (data $d (@segment ".data.d" align=4) "\01\02\03\04\05"))
