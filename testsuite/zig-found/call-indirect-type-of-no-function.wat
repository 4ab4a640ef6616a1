;;! args: --no-entry
;;! run: call run
;;! trap: indirect call type mismatch
;; A call_indirect whose type no function in the output has (the only function of that type is
;; dead and collected) keeps its type: the output type section must hold it and the
;; TYPE_INDEX_LEB must point at it, so the call traps on the signature check. zig 0.17 writes a
;; type index of some other type (here the output does not even validate): the "call_indirect
;; with the wrong type" fault seen in QuickJS. The object carries a target_features section
;; because zig refuses objects without one before it gets this far.
(module
  (@features +mutable-globals)
  (type $iii_i (func (param i32 i32 i32) (result i32)))
  (func $one (result i32) i32.const 1)
  (func $dead (type $iii_i) local.get 0)
  (func $run (export "run") (result i32)
    i32.const 7
    i32.const 8
    i32.const 9
    i32.const 0 (@funcaddr $one)
    call_indirect (type $iii_i)))
