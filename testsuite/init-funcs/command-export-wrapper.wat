;;! args: --no-entry
;;! run: call run -> 1
;; With constructors and no reference to __wasm_call_ctors, every exported function gets a
;; `.command_export` wrapper that runs the constructors first.
(module
  (func $set (@init) i32.const 0 (@addr $n) i32.const 1 i32.store)
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $n)
    i32.load)
  (data $n (@segment align=4) (@zero 4)))
