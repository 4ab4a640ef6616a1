(module
  (type $v_i (func (result i32)))
  (func $five (result i32) i32.const 5)
  (func $call_b (result i32) i32.const 0 (@funcaddr $five) call_indirect (type $v_i)))
