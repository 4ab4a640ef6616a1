;;! args: --no-entry
;;! run: call run -> 65541
;; The address of the linker-defined symbol __data_end (default layout, 5 bytes of data).
(module
  (@undef-data $__data_end)
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $d) drop
    i32.const 0 (@addr $__data_end))
  (data $d (@segment ".data.d" align=4) "\01\02\03\04\05"))
