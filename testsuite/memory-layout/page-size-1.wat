;;! args: --no-entry --page-size=1 --export=run
;; --page-size=1: a custom-page-size memory counted in bytes (link only: running needs the
;; custom-page-sizes proposal).
(module
  (func $run (result i32) i32.const 0 (@addr $d) i32.load8_u)
  (data $d "\07"))
