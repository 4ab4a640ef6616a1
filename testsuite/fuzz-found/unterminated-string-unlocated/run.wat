(module
  ;; merge-segments #0 part a
  (@undef-data $rb0)
  (@undef-data $sb0)
  (@undef-data $dv0)
  (func $u0 (result i32)
    i32.const 0 (@addr $ra0) i32.load
    i32.const 0 (@addr $rb0) i32.load i32.add
    i32.const 0 (@addr $dv0) i32.load i32.add
    i32.const 0 (@addr $z0) i32.load i32.add
    i32.const 0 (@addr $sa0) i32.load8_u i32.add
    i32.const 0 (@addr $sa0 1) i32.load8_u i32.add
    i32.const 0 (@addr $sa0 2) i32.load8_u i32.add
    i32.const 0 (@addr $sb0) i32.load8_u i32.add
    i32.const 0 (@addr $sb0 1) i32.load8_u i32.add
    i32.const 0 (@addr $sb0 2) i32.load8_u i32.add)
  (data $ra0 (@segment ".rodata.ra0" align=4) "\a3\01\00\00")
  (data $sa0 (@segment ".rodata.str1.1" strings) "xyz\00")
  (data $z0 (@segment ".bss.z0" align=4) (@zero 4))
  (func $run (result i32) (local $acc i32)
      local.get $acc i32.const 31 i32.mul call $u0 i32.add local.set $acc
      local.get $acc)
)
