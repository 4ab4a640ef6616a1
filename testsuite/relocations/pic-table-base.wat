;;! args: --no-entry
;;! run: call run -> 4
;; PIC-style function address: global.get __table_base plus TABLE_INDEX_REL_SLEB.
(module
  (type $v_i (func (result i32)))
  (import "env" "__table_base" (global $tb i32))
  (func $four (result i32) i32.const 4)
  (func $run (export "run") (result i32)
    global.get $tb
    i32.const 0 (@funcaddr.rel $four)
    i32.add
    call_indirect (type $v_i)))
