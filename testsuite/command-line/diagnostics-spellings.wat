;;! args: --no-entry -print-gc-sections -t -trace -y run -yrun --trace-symbol run -trace-symbol=dead --why-extract=-
;;! run: call run -> 1
;; Options that only print (stdout; checked against rust-lld in tests/diagnostics.rs) in the
;; spellings wasm-ld accepts: F (-print-gc-sections, -trace), Flag (-t), JoinedOrSeparate
;; (-y run, -yrun), Eq (--trace-symbol run, -trace-symbol=dead) and JJ (--why-extract=-).
;; The module is the one linked without them.
(module
  (func $dead (result i32) i32.const 0)
  (func $run (export "run") (result i32)
    i32.const 1))
