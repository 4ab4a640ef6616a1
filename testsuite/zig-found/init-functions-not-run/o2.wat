(module
  (func $u1 (result i32) i32.const 0 (@addr $log1) i32.load)
  (data $log1 (@segment align=4) (@zero 4))
  (func $ia1 (@init 300)
    i32.const 0 (@addr $log1)
    i32.const 0 (@addr $log1) i32.load i32.const 7 i32.mul i32.const 1 i32.add
    i32.store)
)
