;;! args: --no-entry
;;! run: call run -> 8
;; An MVP-style object (as llvm-mc without reference-types writes): the table is imported
;; without a table symbol and call_indirect's table byte carries no relocation; only the type
;; index is relocated.
(module
  (type $v_i (func (result i32)))
  (import "env" "__indirect_function_table" (table (@nosym) 0 funcref))
  (func $eight (result i32) i32.const 8)
  (func $run (export "run") (result i32)
    i32.const 0 (@funcaddr $eight)
    call_indirect (type $v_i) (@reloc none) (@reloc type_index_leb 0)))
