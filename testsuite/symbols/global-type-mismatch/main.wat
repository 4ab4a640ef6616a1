;;! object: user.wat
;;! args: --no-entry --no-check-features
;;! expect-error: Global type mismatch: g
;;! expect-error: >>> defined as var i32 in main.o
;;! expect-error: >>> defined as const i32 in user.o
;; A global symbol defined as a mutable i32 and imported elsewhere as an immutable one:
;; wasm-ld's checkGlobalType refuses the link when the second symbol is entered, naming both
;; types and files.
(module
  (global $g (@sym "g") (mut i32) (i32.const 5))
  (func $run (export "run") (result i32) global.get $g))
