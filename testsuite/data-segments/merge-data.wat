;;! args: --no-entry
;;! run: call run -> 3
;; `.data.a` and `.data.b` merge into one `.data` output segment: b follows a directly (1 byte
;; apart, alignment 1).
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $b)
    i32.const 0 (@addr $a)
    i32.sub
    i32.const 2
    i32.add)
  (data $a "x")
  (data $b "y"))
