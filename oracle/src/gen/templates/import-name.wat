;; An import whose field differs from its symbol name (EXPLICIT_NAME): it resolves by symbol
;; name to another object's definition.
;;# expect V0
;;# part a object
(import "env" "field{K}" (func $x{K} (@sym "sym{K}" explicit_name) (result i32)))
(func $u{K} (result i32) call $x{K})
;;# part b object
(func $sym{K} (result i32) i32.const {V0})
