;;! args: --no-entry
;;! object: 07-helper.wat
;;! run: call run -> 47
;; R_WASM_GLOBAL_INDEX_LEB: global.get/global.set of a global defined in another object.
(module
  (import "env" "counter" (global $counter (mut i32)))
  (func $run (export "run") (result i32)
    global.get $counter
    i32.const 5
    i32.add
    global.set $counter
    global.get $counter))
