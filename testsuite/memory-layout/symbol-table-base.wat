;;! args: --no-entry
;;! run: call run -> 1
;; The address of the linker-defined symbol __table_base (default layout, 5 bytes of data).
(module
  (@undef-data $__table_base)
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $d) drop
    i32.const 0 (@addr $__table_base))
  (data $d (@segment ".data.d" align=4) "\01\02\03\04\05"))
