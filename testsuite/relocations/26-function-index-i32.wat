;;! args: --no-entry
;;! run: call run -> 1
;; R_WASM_FUNCTION_INDEX_I32: a function index stored as a data word (the output index of $b: $a is 0).
(module
  (func $a)
  (func $b)
  (func $run (export "run") (result i32)
    call $a
    call $b
    i32.const 0 (@addr $word)
    i32.load)
  (data $word (@segment align=4) (@reloc function_index_i32 $b)))
