;;! args: --no-entry
;;! run: call run -> 7
;; A pointer in `.data` to a `.rodata` string, followed through.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $ptr)
    i32.load
    i32.load8_u)
  (data $ptr (@segment ".data.ptr" align=4) (@addr $msg 2))
  (data $msg (@segment ".rodata.msg") "\05\06\07"))
