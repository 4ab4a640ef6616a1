(module
  (func $read_b (result i32)
    i32.const 0 (@addr $shared)
    i32.load8_u)
  (data $shared (@comdat "shared") "\63"))
