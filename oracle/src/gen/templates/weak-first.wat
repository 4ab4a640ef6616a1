;; Two weak definitions of the same function and of the same data: the first on the command
;; line wins.
;;# expect V0 + V2
;;# otherwise V1 + V3
;;# part a object
(func $w{K} (@sym weak) (result i32) i32.const {V0})
(data $wd{K} (@segment align=4) (@sym $wd{K} weak) {V2:bytes})
;;# part b object after a
(func $w{K} (@sym weak) (result i32) i32.const {V1})
(data $wd{K} (@segment align=4) (@sym $wd{K} weak) {V3:bytes})
;;# part c object
(import "env" "w{K}" (func $w{K} (result i32)))
(@undef-data $wd{K})
(func $u{K} (result i32)
  call $w{K}
  i32.const 0 (@addr $wd{K})
  i32.load
  i32.add)
