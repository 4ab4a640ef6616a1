(module
  (func $hidden_away (@sym local) (result i32) i32.const 1))
