;;! args: --no-entry --no-stack-first
;;! run: call run -> 1024
;; __global_base with --no-stack-first (data at 1024, then the stack).
(module
  (@undef-data $__global_base)
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $d) drop
    i32.const 0 (@addr $__global_base))
  (data $d (@segment ".data.d" align=4) "\01\02\03\04\05"))
