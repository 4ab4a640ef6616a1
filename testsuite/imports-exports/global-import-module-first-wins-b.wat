(module
  (import "bar" "other_g" (global $g i32))
  (import "bar" "other_t" (table $t 0 funcref))
  (func $gb (export "gb") (result i32)
    global.get $g
    table.size $t
    i32.sub))
