;;! args: --no-entry
;;! object: string-merging-b.wat
;;! run: call run -> 1
;; Mergeable strings (STRINGS flag, alignment 1): the same string in two objects ends up at one
;; address.
(module
  (import "env" "b_hello" (func $b_hello (result i32)))
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $hello)
    call $b_hello
    i32.eq)
  (data $str (@segment ".rodata.str1.1" strings) (@sym $hello) "hello\00"))
