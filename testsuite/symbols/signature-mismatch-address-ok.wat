;;! args: --no-entry
;;! object: signature-mismatch-def.wat
;;! run: call run -> 5
;; Only direct calls check signatures: taking the address with another signature is fine.
(module
  (import "env" "f" (func $f (param i32) (result i32)))
  (type $v_i (func (result i32)))
  (func $run (export "run") (result i32)
    i32.const 0 (@funcaddr $f)
    call_indirect (type $v_i)))
