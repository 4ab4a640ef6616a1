;;! args: --no-entry
;;! object: start-stop-two-objects-b.wat
;;! run: call run -> 6
;; Segments of the same name from two objects form one output segment; __start/__stop span
;; both (here summing the bytes 1+2+3).
(module
  (@undef-data $__start_tbl)
  (@undef-data $__stop_tbl)
  (func $run (export "run") (result i32) (local $p i32) (local $sum i32)
    i32.const 0 (@addr $__start_tbl)
    local.set $p
    (block $done
      (loop $next
        local.get $p
        i32.const 0 (@addr $__stop_tbl)
        i32.ge_u
        br_if $done
        local.get $sum
        local.get $p
        i32.load8_u
        i32.add
        local.set $sum
        local.get $p
        i32.const 1
        i32.add
        local.set $p
        br $next))
    local.get $sum)
  (data $a (@segment "tbl" retain) "\01\02"))
