;;! args: --no-entry --global-base=70000
;;! run: call run -> 70000
;; --global-base above the stack with the stack first: data starts there.
(module
  (func $run (export "run") (result i32) i32.const 0 (@addr $d))
  (data $d (@segment ".data.d" align=4) "\01\02\03\04\05"))
