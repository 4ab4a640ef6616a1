(module
  (func $ctor_flag (@init 10)
    i32.const 0 (@addr $flag)
    i32.const 1
    i32.store)
  (func $unused_from_ctor_member (result i32) i32.const 0)
  (data $flag (@segment align=4) (@sym $flag) (@zero 4)))
