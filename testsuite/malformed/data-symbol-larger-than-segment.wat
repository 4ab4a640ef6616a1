;;! args: --no-entry
;;! run: call f -> 1684234849
;; A data symbol whose size runs past the end of its segment: rust-lld accepts it (sizes are
;; not checked against the segment).
(module
  (func $f (export "f") (result i32) i32.const 0 (@addr $d) i32.load)
  (data $d (@sym $d size=100) "abcd"))
