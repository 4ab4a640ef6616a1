;;! args: --no-entry
;;! run: call run -> 2
;; Initial memory pages by default: stack + data rounded up to pages.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $d) drop
    memory.size)
  (memory 0)
  (data $d (@segment ".data.d" align=4) "\01\02\03\04\05"))
