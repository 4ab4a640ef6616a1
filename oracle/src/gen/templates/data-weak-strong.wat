;; Weak and strong definitions of data: the strong one wins wherever it is; the weak copy's
;; object reads the winner. A pointer with an addend points inside the winner.
;;# expect V1 + V2
;;# part a object
(data $dw{K} (@segment align=4) (@sym $dw{K} weak) {V0:bytes} {V3:bytes})
(func $u{K} (result i32)
  i32.const 0 (@addr $dw{K})
  i32.load
  i32.const 0 (@addr $p{K})
  i32.load
  i32.load
  i32.add)
(data $p{K} (@segment align=4) (@addr $dw{K} 4))
;;# part b object
(data $dw{K} (@segment align=4) (@sym $dw{K}) {V1:bytes} {V2:bytes})
