;;! args: --no-entry --no-stack-first -z stack-size=64
;;! run: call run -> 1104
;; __heap_base is 16-aligned after the stack: data 1024..1025, stack 1040..1104.
(module
  (@undef-data $__heap_base)
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $d) drop
    i32.const 0 (@addr $__heap_base))
  (data $d "\01"))
