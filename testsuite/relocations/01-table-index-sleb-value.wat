;;! args: --no-entry
;;! run: call run -> 3
;; Table slots start at 1 and follow the order of table-index relocations.
(module
  (func $a)
  (func $b)
  (func $run (export "run") (result i32)
    i32.const 0 (@funcaddr $b)
    i32.const 0 (@funcaddr $a)
    i32.const 0 (@funcaddr $b)
    i32.add
    i32.add
    ;; b=1, a=2: 1 + 2 + 1 = 4; minus 1
    i32.const 1
    i32.sub))
