;; Segments with the same C-identifier name in two objects form one output segment bounded by
;; __start_NAME and __stop_NAME; the user sums the words between them.
;;# expect V0 + V1 + V2 + 3 * 1000
;;# part a object
(@undef-data $__start_sec{K})
(@undef-data $__stop_sec{K})
(func $u{K} (result i32) (local $p i32) (local $sum i32)
  i32.const 0 (@addr $__stop_sec{K})
  i32.const 0 (@addr $__start_sec{K})
  i32.sub
  i32.const 250
  i32.mul
  local.set $sum
  i32.const 0 (@addr $__start_sec{K})
  local.set $p
  (block $done
    (loop $next
      local.get $p
      i32.const 0 (@addr $__stop_sec{K})
      i32.ge_u
      br_if $done
      local.get $sum
      local.get $p
      i32.load
      i32.add
      local.set $sum
      local.get $p
      i32.const 4
      i32.add
      local.set $p
      br $next))
  local.get $sum)
(data $sa{K} (@segment "sec{K}" align=4 retain) {V0:bytes})
;;# part b object
(data $sb{K} (@segment "sec{K}" align=4 retain) {V1:bytes} {V2:bytes})
