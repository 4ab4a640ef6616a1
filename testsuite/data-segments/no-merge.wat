;;! args: --no-entry --no-merge-data-segments
;;! run: call run -> 1
;; --no-merge-data-segments keeps `.data.a` and `.data.b` as separate output segments (they
;; still lie next to each other).
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $b)
    i32.const 0 (@addr $a)
    i32.sub)
  (data $a "x")
  (data $b "y"))
