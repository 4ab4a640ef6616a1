;;! args: --no-entry --no-gc-sections
;;! run: call run -> 2
;; --no-gc-sections keeps the unreferenced function before `run`, and an (empty)
;; __wasm_call_ctors as function 0.
(module
  (func $dead (result i32) i32.const 1)
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $self)
    i32.load)
  (data $self (@segment align=4) (@reloc function_index_i32 $run)))
