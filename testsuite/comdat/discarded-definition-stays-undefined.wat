;;! args: --no-entry --export=usesb --allow-undefined
;;! object: discarded-definition-not-exported-b.wat
;; `b` is referenced here and defined only in the second object's copy of COMDAT group C,
;; which loses to this object's copy: wasm-ld keeps `b` undefined (a discarded definition is
;; a reference, it never replaces one), so with --allow-undefined it is imported (checked with
;; rust-lld 22; without the option, "undefined symbol: b").
(module
  (import "env" "b" (func $b (result i32)))
  (data $cd (@comdat "C") (@segment align=4) "\01\00\00\00")
  (func $usesb (export "usesb") (result i32) call $b))
