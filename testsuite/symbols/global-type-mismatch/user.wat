(module
  (import "env" "g" (global $g i32))
  (func $get (export "get") (result i32) global.get $g))
