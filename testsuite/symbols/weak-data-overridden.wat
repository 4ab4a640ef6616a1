;;! args: --no-entry
;;! object: weak-data-overridden-strong.wat
;;! run: call run -> 200
;; A weak data symbol is replaced by a strong one from another object.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $setting)
    i32.load8_u)
  (data $setting (@sym $setting weak) "\64"))
