;;! args: --no-entry --export-memory=mem
;;! run: call run -> 65536
;; --export-memory=NAME renames the memory export (the run still works).
(module
  (func $run (export "run") (result i32) i32.const 0 (@addr $d))
  (data $d (@segment ".data.d" align=4) "\01\02\03\04\05"))
