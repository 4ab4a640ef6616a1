;;! run: _start
;;! exit: 42
;; proc_exit's status is the run's exit status.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func $_start i32.const 42 call $exit))
