;;! args: --no-entry
;;! object: 06-helper.wat
;;! run: call run -> 30
;; R_WASM_TYPE_INDEX_LEB: the type of a call_indirect; the helper object has its types in a
;; different order, so the output type index differs from the object's.
(module
  (type $i_i (func (param i32) (result i32)))
  (import "env" "triple" (func $triple (param i32) (result i32)))
  (func $run (export "run") (result i32)
    i32.const 10
    i32.const 0 (@funcaddr $triple)
    call_indirect (type $i_i)))
