;;! args: --no-entry
;;! archive: liborder.a = order-m0.wat order-m1.wat order-m2.wat
;;! object: order-b.wat
;;! run: call run -> 123
;; Extracted members land before the object whose reference pulled them: function order is
;; this object, m0 (fz), m1 (fx), m2 (fy), b. The output function indices of fz, fx and fy are
;; read back from FUNCTION_INDEX_I32 data words: 1, 2, 3.
(module
  (import "env" "fx" (func $fx (result i32)))
  ;; Weak references do not pull members, so they do not change the order.
  (import "env" "fz" (func $fz_ref (@sym weak) (result i32)))
  (import "env" "fy" (func $fy_ref (@sym weak) (result i32)))
  (func $run (export "run") (result i32)
    call $fx
    drop
    i32.const 0 (@addr $idx)
    i32.load
    i32.const 100
    i32.mul
    i32.const 0 (@addr $idx 4)
    i32.load
    i32.const 10
    i32.mul
    i32.add
    i32.const 0 (@addr $idx 8)
    i32.load
    i32.add)
  (data $idx (@segment align=4)
    (@reloc function_index_i32 $fz_ref)
    (@reloc function_index_i32 $fx)
    (@reloc function_index_i32 $fy_ref)))
