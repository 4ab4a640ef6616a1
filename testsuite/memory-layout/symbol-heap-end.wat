;;! args: --no-entry
;;! run: call run -> 131072
;; The address of the linker-defined symbol __heap_end (default layout, 5 bytes of data).
(module
  (@undef-data $__heap_end)
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $d) drop
    i32.const 0 (@addr $__heap_end))
  (data $d (@segment ".data.d" align=4) "\01\02\03\04\05"))
