;;! args: --no-entry --export-dynamic
;;! object: discarded-definition-not-exported-b.wat
;;! run: call run -> 7
;; The second object's copy of COMDAT group C loses; its function `b`, defined nowhere else,
;; is then an undefined reference for wasm-ld (ObjFile::parse falls back to createUndefined
;; for a definition its group discards), so --export-dynamic does not export it (we used to
;; try, and failed with an internal error; found by `touchstone fuzz --corrupt-one-in`). With -r
;; the output lists `b` and `cd2` as undefined and leaves their discarded bodies out.
(module
  (data $cd (@comdat "C") (@segment align=4) "\01\00\00\00")
  (func $run (export "run") (result i32) i32.const 7))
