(module
  (func $impl2 (@alias "al2") (result i32) i32.const -848655551)
)
