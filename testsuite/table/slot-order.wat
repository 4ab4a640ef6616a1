;;! args: --no-entry
;;! run: call run -> 321
;; Slots go to functions in relocation scan order: code first (f3, f2), then data (f1, f2
;; again), so f3=1, f2=2, f1=3.
(module
  (func $f1) (func $f2) (func $f3)
  (func $run (export "run") (result i32)
    i32.const 0 (@funcaddr $f3)
    i32.const 0 (@funcaddr $f2)
    i32.const 10
    i32.mul
    i32.add
    i32.const 0 (@addr $slots)
    i32.load
    i32.const 100
    i32.mul
    i32.add)
  (data $slots (@segment align=4) (@funcaddr $f1) (@funcaddr $f2)))
