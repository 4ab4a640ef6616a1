;;! args: --no-entry
;;! run: call run -> 65536
;; Where the first data segment lands by default: right after the stack.
(module
  (func $run (export "run") (result i32) i32.const 0 (@addr $d))
  (data $d (@segment ".data.d" align=4) "\01\02\03\04\05"))
