;;! args: --no-entry --whole-archive libctor.a --no-whole-archive
;;! archive: libctor.a = m-ctor.wat
;;! object: m-flag-reader-main.wat
;;! run: call run -> 1
;; --whole-archive loads every member: the member's constructor runs although nothing
;; references the member.
(module
  (import "env" "__wasm_call_ctors" (func $ctors))
  (import "env" "read_flag" (func $read_flag (result i32)))
  (func $run (export "run") (result i32) call $ctors call $read_flag))
