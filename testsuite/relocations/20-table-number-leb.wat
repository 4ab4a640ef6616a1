;;! args: --no-entry
;;! run: call run -> 3
;; R_WASM_TABLE_NUMBER_LEB: table.size of a table defined in the object.
(module
  (table $t 3 externref)
  (func $run (export "run") (result i32)
    table.size $t))
