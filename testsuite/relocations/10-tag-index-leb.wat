;;! args: --no-entry
;;! run: call run -> 17
;; R_WASM_TAG_INDEX_LEB: throw and try_table catch of a tag.
(module
  (tag $oops (param i32))
  (func $thrower (param i32)
    local.get 0
    throw $oops)
  (func $run (export "run") (result i32)
    (block $caught (result i32)
      (try_table (catch $oops $caught)
        i32.const 17
        call $thrower)
      i32.const 0)))
