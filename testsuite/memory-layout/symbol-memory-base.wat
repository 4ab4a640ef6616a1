;;! args: --no-entry
;;! run: call run -> 0
;; The address of the linker-defined symbol __memory_base (default layout, 5 bytes of data).
(module
  (@undef-data $__memory_base)
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $d) drop
    i32.const 0 (@addr $__memory_base))
  (data $d (@segment ".data.d" align=4) "\01\02\03\04\05"))
