;; Init functions with priorities in two objects: __wasm_call_ctors runs them stable-sorted by
;; priority (ties: object order, then each object's own order); each one appends its number to
;; a log that `u` returns.
;;# expect-initlog 7 a:P0:1 a:P1:2 b:P2:3 b:P3:4
;;# part a object
(func $u{K} (result i32) i32.const 0 (@addr $log{K}) i32.load)
(data $log{K} (@segment align=4) (@zero 4))
(func $ia{K} (@init {P0})
  i32.const 0 (@addr $log{K})
  i32.const 0 (@addr $log{K}) i32.load i32.const 7 i32.mul i32.const 1 i32.add
  i32.store)
(func $ib{K} (@init {P1})
  i32.const 0 (@addr $log{K})
  i32.const 0 (@addr $log{K}) i32.load i32.const 7 i32.mul i32.const 2 i32.add
  i32.store)
;;# part b object
(@undef-data $log{K})
(func $ic{K} (@init {P2})
  i32.const 0 (@addr $log{K})
  i32.const 0 (@addr $log{K}) i32.load i32.const 7 i32.mul i32.const 3 i32.add
  i32.store)
(func $id{K} (@init {P3})
  i32.const 0 (@addr $log{K})
  i32.const 0 (@addr $log{K}) i32.load i32.const 7 i32.mul i32.const 4 i32.add
  i32.store)
