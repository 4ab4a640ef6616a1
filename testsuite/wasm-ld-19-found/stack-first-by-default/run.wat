(module
  (data $sb2 (@segment "sec2" align=4 retain) "\db\d5\8d\50" "\e6\9e\62\ad")
  (func $run (result i32) (local $acc i32)
      local.get $acc)
)
