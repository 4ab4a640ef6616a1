;; An object's weak definition is not replaced by a strong definition in an archive member:
;; the member is never pulled for a symbol that is already defined.
;;# expect V0
;;# part a object
(func $u{K} (result i32) call $s{K})
(func $s{K} (@sym weak) (result i32) i32.const {V0})
;;# part m archive
(func $s{K} (result i32) i32.const {V1})
