;;! args: --no-entry --export=f
;;! object: concatenated-b.wat
;; Custom sections of the same name are concatenated in object order; names keep the order in
;; which they were first seen: zzz(1 2) aaa(3 5 6) mmm(4); the empty one is dropped.
(module
  (func $f)
  (@section "zzz" "1")
  (@section "aaa" "3")
  (@section "zzz" "2"))
