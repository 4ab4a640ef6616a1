(module
  (func $helper (@sym local) (result i32) i32.const 2)
  (func $other (result i32) call $helper))
