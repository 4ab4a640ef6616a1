;;! args: --no-entry
;;! run: call run -> 65540
;; An unreferenced data segment is removed: __data_end is right after the 4-byte word.
(module
  (@undef-data $__data_end)
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $used)
    i32.load
    drop
    i32.const 0 (@addr $__data_end))
  (data $unused (@segment ".data.unused") (@zero 32))
  (data $used (@segment ".data.used" align=4) (@zero 4)))
