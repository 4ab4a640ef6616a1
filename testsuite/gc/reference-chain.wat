;;! args: --no-entry
;;! run: call run -> 2
;; Liveness follows relocations: run -> a -> b stay, c goes; `run` is after a and b.
(module
  (func $c (result i32) i32.const 3)
  (func $b (result i32) i32.const 2)
  (func $a (result i32) call $b)
  (func $run (export "run") (result i32)
    call $a
    drop
    i32.const 0 (@addr $self)
    i32.load)
  (data $self (@segment align=4) (@reloc function_index_i32 $run)))
