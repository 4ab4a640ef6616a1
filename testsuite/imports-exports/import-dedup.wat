;;! args: --no-entry --export=run
;; Two symbols with the same import module, name and signature share one import.
(module
  (import "host" "f" (func $f1 (@sym "first_f") (result i32)))
  (import "host" "f" (func $f2 (@sym "second_f") (result i32)))
  (func $run (result i32) call $f1 call $f2 i32.add))
