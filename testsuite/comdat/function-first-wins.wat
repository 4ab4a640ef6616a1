;;! args: --no-entry
;;! object: function-first-wins-b.wat
;;! run: call run -> 11
;; Two objects define `inline_fn` in COMDAT group `inline_fn`: the first object's copy is
;; kept, the second's dropped (no duplicate-symbol error, although both are strong).
(module
  (import "env" "from_b" (func $from_b (result i32)))
  (func $inline_fn (@comdat "inline_fn") (result i32) i32.const 1)
  (func $run (export "run") (result i32)
    call $inline_fn
    call $from_b
    i32.add))
