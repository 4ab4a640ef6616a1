;; Archive members that pull each other: the object needs p (member m1), which needs q
;; (member m2), wherever the members and archives sit on the command line.
;;# expect V0 + V1
;;# part a object
(import "env" "p{K}" (func $p{K} (result i32)))
(func $u{K} (result i32) call $p{K})
;;# part m1 archive
(import "env" "q{K}" (func $q{K} (result i32)))
(func $p{K} (result i32) call $q{K} i32.const {V1} i32.add)
;;# part m2 archive
(func $q{K} (result i32) i32.const {V0})
