;;! args: --no-entry
;;! run: call run -> 0
;; An unreferenced function is removed: `run` becomes function 0 (its own index is read back
;; from a FUNCTION_INDEX_I32 data word).
(module
  (func $dead (result i32) i32.const 1)
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $self)
    i32.load)
  (data $self (@segment align=4) (@reloc function_index_i32 $run)))
