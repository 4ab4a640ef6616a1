;; An indirect call through the table to a function of another object whose address is taken
;; in code (TABLE_INDEX_SLEB, TYPE_INDEX_LEB, TABLE_NUMBER_LEB).
;;# expect V0 * 3 + V1
;;# part a object
(import "env" "g{K}" (func $g{K} (param i32) (result i32)))
(type $t{K} (func (param i32) (result i32)))
(func $u{K} (result i32)
  i32.const 3
  i32.const 0 (@funcaddr $g{K})
  call_indirect (type $t{K})
  i32.const {V1}
  i32.add)
;;# part b object
(func $g{K} (param i32) (result i32) local.get 0 i32.const {V0} i32.mul)
