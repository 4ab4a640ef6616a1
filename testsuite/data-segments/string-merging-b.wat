(module
  (func $b_hello (result i32) i32.const 0 (@addr $b_str))
  (data $s (@segment ".rodata.str1.1" strings) (@sym $b_str local) "hello\00"))
