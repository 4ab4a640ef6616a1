;;! args: --no-entry --fatal-warnings
;;! object: signature-mismatch-def.wat
;;! expect-error: function signature mismatch: f
;; The signature mismatch of signature-mismatch.wat is a warning; --fatal-warnings makes it
;; an error, and no output is written.
(module
  (import "env" "f" (func $f (param i32) (result i32)))
  (func $run (export "run") (result i32)
    i32.const 1
    call $f))
