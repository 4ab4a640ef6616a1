;;! args: --no-entry --export=run
;;! run: call run -> 3
;; __wasm_call_ctors called by live code (a reactor's own initialisation): kept, empty.
(module
  (import "env" "__wasm_call_ctors" (func $ctors))
  (func $run (export "run") (result i32) call $ctors i32.const 3))
