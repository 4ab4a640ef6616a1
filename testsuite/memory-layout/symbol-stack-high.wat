;;! args: --no-entry
;;! run: call run -> 65536
;; The address of the linker-defined symbol __stack_high (default layout, 5 bytes of data).
(module
  (@undef-data $__stack_high)
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $d) drop
    i32.const 0 (@addr $__stack_high))
  (data $d (@segment ".data.d" align=4) "\01\02\03\04\05"))
