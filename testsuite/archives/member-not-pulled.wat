;;! args: --no-entry
;;! archive: libmath.a = m-add.wat m-mul.wat
;;! run: call run -> 1
;; Members nobody references are not loaded (their functions are absent).
(module
  (func $run (export "run") (result i32) i32.const 1))
