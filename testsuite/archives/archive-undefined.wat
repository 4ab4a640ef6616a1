;;! args: --no-entry
;;! archive: libsquare.a = m-square.wat
;;! expect-error: undefined symbol: mul
;; A pulled member's undefined reference that nothing defines is an error.
(module
  (import "env" "square" (func $square (param i32) (result i32)))
  (func $run (export "run") (result i32) i32.const 6 call $square))
