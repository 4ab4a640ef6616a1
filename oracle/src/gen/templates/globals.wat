;; A mutable global defined in one object, read and written from another (GLOBAL_INDEX_LEB).
;; Hidden, so that --export-dynamic does not export it (which needs mutable-globals).
;;# expect V0 + V1
;;# part a object
(import "env" "gl{K}" (global $gl{K} (mut i32)))
(func $u{K} (result i32)
  global.get $gl{K}
  i32.const {V1}
  i32.add
  global.set $gl{K}
  global.get $gl{K})
;;# part b object
(global $gl{K} (@sym hidden) (mut i32) (i32.const {V0}))
