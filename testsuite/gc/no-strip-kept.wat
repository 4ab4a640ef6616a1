;;! args: --no-entry
;;! run: call run -> 1
;; A global NO_STRIP symbol is a GC root.
(module
  (func $kept (@sym no_strip) (result i32) i32.const 1)
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $self)
    i32.load)
  (data $self (@segment align=4) (@reloc function_index_i32 $run)))
