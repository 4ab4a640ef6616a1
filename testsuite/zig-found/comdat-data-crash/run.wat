(module
  (data $cd1 (@comdat "C1") (@segment align=4) "\b6\01\00\00")
  (func $run (result i32) (local $acc i32)
      local.get $acc)
)
