(module
  (@undef-data $__start_sec2)
  (@undef-data $__stop_sec2)
  (func $u2 (result i32) (local $p i32) (local $sum i32)
    i32.const 0 (@addr $__stop_sec2)
    i32.const 0 (@addr $__start_sec2)
    i32.mul
    local.set $sum
    (block $done
      (loop $next
        i32.const 0 (@addr $__stop_sec2)
        br_if $done
        br $next))
    local.get $sum)
)
