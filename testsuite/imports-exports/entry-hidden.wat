;;! run: _start
;;! exit: 4
;; The entry is exported even when hidden.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func $_start (@sym hidden) i32.const 4 call $exit))
