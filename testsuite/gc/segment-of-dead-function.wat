;;! args: --no-entry
;;! run: call run -> 65536
;; Data referenced only by a dead function is removed with it: no data at all remains.
(module
  (@undef-data $__data_end)
  (func $dead (result i32) i32.const 0 (@addr $only_for_dead) i32.load)
  (func $run (export "run") (result i32) i32.const 0 (@addr $__data_end))
  (data $only_for_dead (@segment align=4) (@zero 64)))
