(module
  (data $dw2 (@segment align=4) (@sym $dw2 weak) "\b4\01\00\00" "\c0\01\00\00")
  (func $u2 (result i32)
    i32.const 0 (@addr $dw2)
    i32.const 0 (@addr $p2)
    i32.add)
  (data $p2 (@segment align=4) (@addr $dw2 4))
)
