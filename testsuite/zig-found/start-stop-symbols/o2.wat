(module
  (data $sb2 (@segment "sec2" align=4 retain) "\3d\02\00\00" "\76\03\00\00")
)
