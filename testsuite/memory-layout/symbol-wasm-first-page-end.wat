;;! args: --no-entry
;;! run: call run -> 65536
;; The address of the linker-defined symbol __wasm_first_page_end (default layout, 5 bytes of data).
(module
  (@undef-data $__wasm_first_page_end)
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $d) drop
    i32.const 0 (@addr $__wasm_first_page_end))
  (data $d (@segment ".data.d" align=4) "\01\02\03\04\05"))
