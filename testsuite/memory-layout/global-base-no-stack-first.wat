;;! args: --no-entry --no-stack-first --global-base=100
;;! run: call run -> 100
;; --global-base=100 with --no-stack-first: data starts at 100 (aligned).
(module
  (func $run (export "run") (result i32) i32.const 0 (@addr $d))
  (data $d (@segment ".data.d" align=4) "\01\02\03\04\05"))
