;; Local functions with the same name in two objects stay apart; a hidden function is visible
;; to other objects of the link.
;;# expect V0 * 2 + V1
;;# part a object
(import "env" "hv{K}" (func $hv{K} (result i32)))
(func $l{K} (@sym local) (result i32) i32.const {V0})
(func $u{K} (result i32) call $l{K} call $l{K} i32.add call $hv{K} i32.add)
;;# part b object
(func $l{K} (@sym local) (result i32) i32.const {V1})
(func $hv{K} (@sym hidden) (result i32) call $l{K})
