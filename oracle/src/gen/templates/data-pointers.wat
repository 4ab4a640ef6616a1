;; Data holding a number, a pointer to another object's data (MEMORY_ADDR_I32) and a function
;; pointer (TABLE_INDEX_I32) used for an indirect call.
;;# expect V0 + V1 + V2
;;# part a object
(import "env" "h{K}" (func $h{K} (result i32)))
(type $t{K} (func (result i32)))
(@undef-data $e{K})
(func $u{K} (result i32)
  i32.const 0 (@addr $d{K})
  i32.load
  i32.const 0 (@addr $d{K})
  i32.load offset=4
  i32.load
  i32.add
  i32.const 0 (@addr $d{K})
  i32.load offset=8
  call_indirect (type $t{K})
  i32.add)
(data $d{K} (@segment align=4) {V0:bytes} (@addr $e{K}) (@funcaddr $h{K}))
;;# part b object
(func $h{K} (result i32) i32.const {V2})
(data $e{K} (@segment align=4) {V1:bytes})
