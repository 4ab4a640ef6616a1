;; One function with a second (alias) symbol; another object calls it by the alias name. A
;; weak alias of a second function is overridden by a strong definition of that name.
;;# expect V0 + V2
;;# part a object
(func $impl{K} (@alias "al{K}") (result i32) i32.const {V0})
(func $impl2{K} (@alias "wal{K}" weak) (result i32) i32.const {V1})
;;# part b object
(import "env" "al{K}" (func $al{K} (result i32)))
(import "env" "wal{K}" (func $wal{K} (result i32)))
(func $u{K} (result i32) call $al{K} call $wal{K} i32.add)
;;# part c object
(func $wal{K} (result i32) i32.const {V2})
