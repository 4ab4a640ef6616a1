(module
  (func $get (@comdat "grp") (result i32) i32.const 0 (@addr $val) i32.load8_u)
  (data $val (@comdat "grp") "\07")
  (func $from_b (result i32) call $get i32.const 95 i32.add))
