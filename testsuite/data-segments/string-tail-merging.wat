;;! args: --no-entry
;;! run: call run -> 3
;; Tail merging: "lo" is the tail of "hello", so it lives inside it (3 bytes in).
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $lo)
    i32.const 0 (@addr $hello)
    i32.sub)
  (data $strs (@segment ".rodata.str1.1" strings) (@sym $hello) "hello\00" (@sym $lo) "lo\00"))
