;;! run: _start
;;! exit: 3
;; Without --no-entry the entry point is `_start`, exported.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func $_start i32.const 3 call $exit))
