;; A function defined in one object and called from another: FUNCTION_INDEX_LEB resolved
;; across objects, with a parameter passed through.
;;# expect V0 + V1
;;# part a object
(import "env" "f{K}" (func $f{K} (param i32) (result i32)))
(func $u{K} (result i32) i32.const {V1} call $f{K})
;;# part b object
(func $f{K} (param i32) (result i32) local.get 0 i32.const {V0} i32.add)
