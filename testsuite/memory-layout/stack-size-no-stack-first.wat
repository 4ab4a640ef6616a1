;;! args: --no-entry -z stack-size=4096 --no-stack-first
;;! run: call run -> 5136
;; A 4 KiB stack after the data.
(module
  (import "env" "__stack_pointer" (global $sp (mut i32)))
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $d) drop
    global.get $sp)
  (data $d (@segment ".data.d" align=4) "\01\02\03\04\05"))
