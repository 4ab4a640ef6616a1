;; A weak and a strong definition of the same function: the strong one wins wherever it is
;; on the command line, also for the calls made from the weak definition's own object.
;;# expect V1 + 1
;;# part a object
(func $u{K} (result i32) call $w{K} i32.const 1 i32.add)
(func $w{K} (@sym weak) (result i32) i32.const {V0})
;;# part b object
(func $w{K} (result i32) i32.const {V1})
