(module
  (type (func (param f64) (result f64)))
  (type (func (param i64)))
  (func $unused (param i64))
  (func $triple (param i32) (result i32)
    local.get 0
    i32.const 3
    i32.mul))
