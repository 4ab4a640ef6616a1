(module
  ;; merge-segments #0 part b
  (data $rb0 (@segment ".rodata.rb0" align=4) "\d5\00\00\00")
  (data $sb0 (@segment ".rodata.str1.1" strings) "xyz\00")
  (data $dv0 (@segment ".data.dv0" align=8) "\84\02\00\00")
)
