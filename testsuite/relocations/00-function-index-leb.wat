;;! args: --no-entry
;;! object: 00-helper.wat
;;! run: call run -> 12
;; R_WASM_FUNCTION_INDEX_LEB: `call` of a function defined in another object.
(module
  (import "env" "helper" (func $helper (param i32) (result i32)))
  (func $run (export "run") (result i32)
    i32.const 5
    call $helper))
