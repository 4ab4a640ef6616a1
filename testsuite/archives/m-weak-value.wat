(module
  (func $value (@sym weak) (result i32) i32.const 50))
