;;! run: _start
;;! stdout: 3142
;; Constructors run by ascending priority; equal priorities keep their order in the object.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (func $push (param i32)
    i32.const 0 (@addr $len)
    i32.load
    local.get 0
    i32.store8 offset=0 (@addr $buf)
    i32.const 0 (@addr $len)
    i32.const 0 (@addr $len)
    i32.load
    i32.const 1
    i32.add
    i32.store)
  (func $c1 (@init 300) i32.const 49 call $push)
  (func $c2 (@init) i32.const 50 call $push)
  (func $c3 (@init 100) i32.const 51 call $push)
  (func $c4 (@init 300) i32.const 52 call $push)
  (func $_start (export "_start")
    i32.const 10
    call $push
    i32.const 0 (@addr $iov 4)
    i32.const 0 (@addr $len)
    i32.load
    i32.store
    i32.const 1
    i32.const 0 (@addr $iov)
    i32.const 1
    i32.const 0 (@addr $len)
    call $fd_write
    drop)
  (data $buf (@zero 16))
  (data $len (@segment align=4) (@zero 4))
  (data $iov (@segment align=4) (@addr $buf) (@zero 4)))
