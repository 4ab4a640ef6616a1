;; A custom section with the same name in two objects: the output has one section holding
;; both contents, in command-line order.
;;# expect V0
;;# part a object
;;# custom "cs{K}" "first{K}"
(@section "cs{K}" "first{K}")
(func $u{K} (result i32) i32.const {V0})
;;# part b object after a
;;# custom "cs{K}" "second{K}"
(@section "cs{K}" "second{K}")
