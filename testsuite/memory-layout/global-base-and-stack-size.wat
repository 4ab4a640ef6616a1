;;! args: --no-entry -z stack-size=16384 --global-base=20000
;;! run: call run -> 20000
;; A 16 KiB stack first, then data at --global-base=20000 (above the stack top).
(module
  (func $run (export "run") (result i32) i32.const 0 (@addr $d))
  (data $d "\01"))
