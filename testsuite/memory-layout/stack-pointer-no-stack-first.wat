;;! args: --no-entry --no-stack-first
;;! run: call run -> 66576
;; --no-stack-first: data from 1024, then a 64 KiB stack; the pointer starts at its top.
(module
  (import "env" "__stack_pointer" (global $sp (mut i32)))
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $d) drop
    global.get $sp)
  (data $d (@segment ".data.d" align=4) "\01\02\03\04\05"))
