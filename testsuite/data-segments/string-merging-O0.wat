;;! args: --no-entry -O0
;;! object: string-merging-b.wat
;;! run: call run -> 0
;; -O0 turns string merging off: the two copies of "hello" stay distinct.
(module
  (import "env" "b_hello" (func $b_hello (result i32)))
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $hello)
    call $b_hello
    i32.eq)
  (data $str (@segment ".rodata.str1.1" strings) (@sym $hello) "hello\00"))
