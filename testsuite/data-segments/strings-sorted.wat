;;! args: --no-entry
;;! run: call run -> 1
;; Merged strings are reordered (sorted by their reversed bytes, descending): "zzz" ends up
;; before "abc" although written after it.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $zzz)
    i32.const 0 (@addr $abc)
    i32.lt_u)
  (data $strs (@segment ".rodata.str1.1" strings) (@sym $abc) "abc\00" (@sym $zzz) "zzz\00"))
