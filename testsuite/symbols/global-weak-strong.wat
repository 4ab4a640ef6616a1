(module
  (global $config i32 (i32.const 9)))
