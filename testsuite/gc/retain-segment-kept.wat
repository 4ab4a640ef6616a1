;;! args: --no-entry
;;! run: call run -> 65572
;; A RETAIN segment is kept although nothing references it (C's `__attribute__((used))`).
(module
  (@undef-data $__data_end)
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $used)
    i32.load
    drop
    i32.const 0 (@addr $__data_end))
  (data $unused (@segment ".data.unused" retain) (@zero 32))
  (data $used (@segment ".data.used" align=4) (@zero 4)))
