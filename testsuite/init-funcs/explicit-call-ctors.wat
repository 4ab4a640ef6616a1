;;! args: --no-entry
;;! object: lib-print.wat
;;! run: call run -> 2
;; When an object calls __wasm_call_ctors itself, no command-export wrapper is made; calling
;; it twice runs the constructors twice.
(module
  (import "env" "__wasm_call_ctors" (func $ctors))
  (func $count (@init) i32.const 0 (@addr $n) i32.const 0 (@addr $n) i32.load i32.const 1 i32.add i32.store)
  (func $run (export "run") (result i32)
    call $ctors
    call $ctors
    i32.const 0 (@addr $n)
    i32.load)
  (data $n (@segment align=4) (@zero 4)))
