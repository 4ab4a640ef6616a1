;;! args: --no-entry
;;! run: call run -> 65552
;; The address of the linker-defined symbol __heap_base (default layout, 5 bytes of data).
(module
  (@undef-data $__heap_base)
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $d) drop
    i32.const 0 (@addr $__heap_base))
  (data $d (@segment ".data.d" align=4) "\01\02\03\04\05"))
