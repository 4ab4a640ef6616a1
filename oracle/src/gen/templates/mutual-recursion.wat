;; Two functions in different objects that call each other until a counter runs out
;; (FUNCTION_INDEX_LEB in both directions).
;;# expect V0 + 4 * 3
;;# part a object
(import "env" "odd{K}" (func $odd{K} (param i32) (result i32)))
(func $even{K} (param i32) (result i32)
  local.get 0
  i32.eqz
  if (result i32)
    i32.const {V0}
  else
    local.get 0
    i32.const 1
    i32.sub
    call $odd{K}
    i32.const 3
    i32.add
  end)
(func $u{K} (result i32) i32.const 8 call $even{K})
;;# part b object
(import "env" "even{K}" (func $even{K} (param i32) (result i32)))
(func $odd{K} (param i32) (result i32)
  local.get 0
  i32.const 1
  i32.sub
  call $even{K})
