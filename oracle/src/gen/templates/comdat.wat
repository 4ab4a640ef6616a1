;; The same COMDAT group (a function and a data segment) in two objects: the first object's
;; group is kept whole, the later one is dropped whole.
;;# expect V0 + V2
;;# otherwise V1 + V3
;;# part a object
(func $c{K} (@comdat "C{K}") (result i32) i32.const {V0})
(data $cd{K} (@comdat "C{K}") (@segment align=4) {V2:bytes})
;;# part b object after a
(func $c{K} (@comdat "C{K}") (result i32) i32.const {V1})
(data $cd{K} (@comdat "C{K}") (@segment align=4) {V3:bytes})
;;# part c object
(import "env" "c{K}" (func $c{K} (result i32)))
(@undef-data $cd{K})
(func $u{K} (result i32)
  call $c{K}
  i32.const 0 (@addr $cd{K})
  i32.load
  i32.add)
