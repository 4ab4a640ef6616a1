;;! args: --no-entry
;;! archive: libctor.a = m-ctor.wat
;;! object: m-flag-reader-main.wat
;;! run: call run -> 99
;; Without --whole-archive the constructor member is not loaded: a weak reference to its data
;; does not pull it, so the flag's address is 0.
(module
  (import "env" "__wasm_call_ctors" (func $ctors))
  (import "env" "read_flag" (func $read_flag (result i32)))
  (func $run (export "run") (result i32) call $ctors call $read_flag))
