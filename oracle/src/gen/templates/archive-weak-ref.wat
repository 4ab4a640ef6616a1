;; A weak undefined reference does not pull the archive member that defines the symbol, so the
;; function's address stays 0.
;;# expect V0 + 1
;;# part a object
(import "env" "r{K}" (func $r{K} (@sym weak) (result i32)))
(func $u{K} (result i32)
  i32.const {V0}
  i32.const 0 (@funcaddr $r{K})
  i32.eqz
  i32.add)
;;# part m archive
(func $r{K} (result i32) i32.const {V1})
