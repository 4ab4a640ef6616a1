;;! args: --no-entry -z stack-size=8192
;;! run: call run -> 8192
;; -z stack-size=8192: a smaller stack, so the pointer starts at 8192.
(module
  (import "env" "__stack_pointer" (global $sp (mut i32)))
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $d) drop
    global.get $sp)
  (data $d (@segment ".data.d" align=4) "\01\02\03\04\05"))
