;;! object: stdout.wat
;;! run: _start
;;! stdout: flushed
;; musl's stdio pattern (wasi-libc's __stdio_exit.c): `__stdout_used` is a weak alias of a local
;; null `dummy_file`; stdout.c defines a strong `__stdout_used` pointing at the real FILE. The
;; strong definition must win, so the exit path finds stdout and flushes it. zig 0.17 keeps the
;; weak alias (and drops stdout.o's data), so nothing is printed: the "stdout unflushed" fault
;; seen on real C programs. Both objects carry a target_features section because zig refuses
;; objects without one before it gets this far.
(module
  (@features +mutable-globals)
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (func $_start (export "_start")
    (local $file i32)
    ;; file = __stdout_used; if (file) fd_write(1, file /* an iovec here */, 1, &written)
    i32.const 0 (@addr "__stdout_used")
    i32.load
    local.tee $file
    if
      i32.const 1
      local.get $file
      i32.const 1
      i32.const 0 (@addr $written)
      call $fd_write
      drop
    end)
  (data $written (@segment align=4) "\00\00\00\00")
  (data $stdio_dummy (@segment align=4)
    (@sym $dummy_file local size=4) (@sym $__stdout_used weak size=4 offset=0) "\00\00\00\00"))
