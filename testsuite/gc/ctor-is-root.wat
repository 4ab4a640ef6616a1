;;! args: --no-entry
;;! run: call run -> 6
;; Init functions of a loaded object are roots, with everything they reference.
(module
  (import "env" "__wasm_call_ctors" (func $ctors))
  (func $set (@init) i32.const 0 (@addr $cell) i32.const 6 i32.store)
  (func $run (export "run") (result i32)
    call $ctors
    i32.const 0 (@addr $cell)
    i32.load)
  (data $cell (@segment align=4) (@zero 4)))
