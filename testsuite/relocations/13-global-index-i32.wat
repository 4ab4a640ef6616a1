;;! args: --no-entry
;;! run: call run -> 1
;; R_WASM_GLOBAL_INDEX_I32: a global's index stored as a data word (__stack_pointer is 0).
(module
  (global $g (mut i32) (i32.const 3))
  (func $run (export "run") (result i32)
    global.get $g
    drop
    i32.const 0 (@addr $word)
    i32.load)
  (data $word (@segment align=4) (@reloc global_index_i32 $g)))
