;;! args: --no-entry --global-base=70000
;;! run: call run -> 65536
;; --global-base above the stack does not move the stack: the pointer still starts at 65536.
(module
  (import "env" "__stack_pointer" (global $sp (mut i32)))
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $d) drop
    global.get $sp)
  (data $d "\01"))
