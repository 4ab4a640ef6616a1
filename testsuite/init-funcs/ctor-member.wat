(module
  (import "env" "push" (func $push (param i32)))
  (func $mc (@init 1) i32.const 109 call $push)
  (func $member_fn))
