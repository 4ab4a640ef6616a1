(module
  (func $other (result i32) i32.const 0 (@addr $buf) i32.load8_u)
  (data $buf (@sym $buf local) "\02"))
