;; The address of one function taken in two objects (code and data) is the same table slot,
;; and calling through either pointer reaches it.
;;# expect V0 + 1 + 2 * V0
;;# part a object
(import "env" "tf{K}" (func $tf{K} (result i32)))
(import "env" "other_ptr{K}" (func $other_ptr{K} (result i32)))
(type $t{K} (func (result i32)))
(func $u{K} (result i32)
  i32.const 0 (@funcaddr $tf{K})
  call_indirect (type $t{K})
  i32.const 0 (@funcaddr $tf{K})
  call $other_ptr{K}
  i32.eq
  i32.add
  call $other_ptr{K}
  call_indirect (type $t{K})
  i32.const 0 (@addr $slot{K})
  i32.load
  call_indirect (type $t{K})
  i32.add
  i32.add)
(data $slot{K} (@segment align=4) (@funcaddr $tf{K}))
;;# part b object
(func $tf{K} (result i32) i32.const {V0})
(func $other_ptr{K} (result i32) i32.const 0 (@funcaddr $tf{K}))
