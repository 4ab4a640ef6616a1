;;! args: --no-entry
;;! object: 10-helper.wat
;;! run: call run -> 5
;; A tag defined in one object and thrown/caught in another.
(module
  (import "env" "shared_tag" (tag $t (param i32)))
  (import "env" "throw_it" (func $throw_it (param i32)))
  (func $run (export "run") (result i32)
    (block $caught (result i32)
      (try_table (catch $t $caught)
        i32.const 5
        call $throw_it)
      i32.const 0)))
