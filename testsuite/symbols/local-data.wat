;;! args: --no-entry
;;! object: local-data-other.wat
;;! run: call run -> 3
;; Local data symbols with the same name in two objects are distinct.
(module
  (import "env" "other" (func $other (result i32)))
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $buf)
    i32.load8_u
    call $other
    i32.add)
  (data $buf (@sym $buf local) "\01"))
