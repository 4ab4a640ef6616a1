;;! args: --no-entry
;;! archive: libctor.a = m-ctor.wat
;;! run: call run -> 1
;; A member pulled for its data brings its constructor along, which runs.
(module
  (import "env" "__wasm_call_ctors" (func $ctors))
  (@undef-data $flag)
  (func $run (export "run") (result i32)
    call $ctors
    i32.const 0 (@addr $flag)
    i32.load))
