;;! args: --no-entry
;;! object: signature-mismatch-def.wat
;;! run: call run
;;! trap: unreachable
;; A call with a different signature than the definition goes to a `signature_mismatch:` stub.
(module
  (import "env" "f" (func $f (param i32) (result i32)))
  (func $run (export "run") (result i32)
    i32.const 1
    call $f))
