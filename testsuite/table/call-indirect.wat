;;! args: --no-entry
;;! run: call run 0 -> 10
;;! run: call run 1 -> 20
;; An array of function pointers in data, called through the indirect table.
(module
  (type $v_i (func (result i32)))
  (func $ten (result i32) i32.const 10)
  (func $twenty (result i32) i32.const 20)
  (func $run (export "run") (param i32) (result i32)
    local.get 0
    i32.const 4
    i32.mul
    i32.load offset=0 (@addr $table)
    call_indirect (type $v_i))
  (data $table (@segment align=4) (@funcaddr $ten) (@funcaddr $twenty)))
