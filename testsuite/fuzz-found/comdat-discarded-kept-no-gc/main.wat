;;! args: --no-entry --no-gc-sections
;;! object: second.wat user.wat
;;! run: call run -> 2
;; Found by the `differential` fuzz target (template comdat): two objects define COMDAT group
;; C (a function and a data segment). The first copy wins, but with --no-gc-sections wasm-ld
;; 22 still emits the discarded copy's function (as a second `c`) and data (the .data segment
;; holds 01 00 00 00 02 00 00 00); touchstone-ld drops the discarded copy entirely.
(module
  (func $c (@comdat "C") (result i32) i32.const 1)
  (data $cd (@comdat "C") (@segment align=4) "\01\00\00\00"))
