;;! args: --no-entry
;;! run: call run -> 0
;; A local NO_STRIP function (C's `static __attribute__((used))`) is still removed.
(module
  (func $kept (@sym local no_strip) (result i32) i32.const 1)
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $self)
    i32.load)
  (data $self (@segment align=4) (@reloc function_index_i32 $run)))
