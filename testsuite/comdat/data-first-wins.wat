;;! args: --no-entry
;;! object: data-first-wins-b.wat
;;! run: call run -> 20
;; COMDAT data: the first object's segment is kept; both objects read the same bytes.
(module
  (import "env" "read_b" (func $read_b (result i32)))
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $shared)
    i32.load8_u
    call $read_b
    i32.add)
  (data $shared (@comdat "shared") "\0a"))
