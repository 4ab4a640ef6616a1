;;! args: --no-entry
;;! run: call run -> 12
;; PIC-style function pointer through the GOT: GLOBAL_INDEX_LEB against a function symbol gives
;; an internal GOT global holding its table slot.
(module
  (type $v_i (func (result i32)))
  (import "GOT.func" "twelve" (global $got_twelve (@nosym) (mut i32)))
  (import "env" "__indirect_function_table" (table 0 funcref))
  (func $twelve (result i32) i32.const 12)
  (func $run (export "run") (result i32)
    global.get $got_twelve (@reloc global_index_leb $twelve)
    call_indirect (type $v_i)))
