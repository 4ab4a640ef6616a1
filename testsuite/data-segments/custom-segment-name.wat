;;! args: --no-entry
;;! run: call run -> 1
;; A segment named outside the known prefixes keeps its own name and sorts after `.data`.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $mine)
    i32.const 0 (@addr $plain)
    i32.gt_u)
  (data $mine (@segment "my_section") "m")
  (data $plain "p"))
