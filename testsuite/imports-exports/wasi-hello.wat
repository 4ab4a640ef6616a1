;;! run: _start
;;! stdout: hello, world
;; A WASI command: fd_write of a string from data.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (func $_start
    i32.const 1
    i32.const 0 (@addr $iov)
    i32.const 1
    i32.const 0 (@addr $written)
    call $fd_write
    drop)
  (data $msg (@segment ".rodata.msg") "hello, world\n")
  (data $iov (@segment align=4) (@addr $msg) "\0d\00\00\00")
  (data $written (@segment ".bss.written" align=4) (@zero 4)))
