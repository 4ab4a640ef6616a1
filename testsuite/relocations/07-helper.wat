(module
  (global $other i64 (i64.const 0))
  (global $counter (mut i32) (i32.const 42)))
