;; A weak and a strong definition of a global: the strong one wins wherever it is, and the
;; weak definition's own object reads the winner too.
;;# expect V1 * 2
;;# part a object
(global $wg{K} (@sym weak hidden) i32 (i32.const {V0}))
(func $u{K} (result i32) global.get $wg{K} call $rd{K} i32.add)
(import "env" "rd{K}" (func $rd{K} (result i32)))
;;# part b object
(global $wg{K} (@sym hidden) i32 (i32.const {V1}))
;;# part c object
(import "env" "wg{K}" (global $wg{K} i32))
(func $rd{K} (result i32) global.get $wg{K})
