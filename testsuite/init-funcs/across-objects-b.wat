(module
  (import "env" "push" (func $push (param i32)))
  (func $c (@init 50) i32.const 99 call $push)
  (func $B (@init 100) i32.const 66 call $push)
  (func $A (@init 300) i32.const 65 call $push))
