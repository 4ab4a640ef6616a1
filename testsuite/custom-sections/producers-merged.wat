;;! args: --no-entry --export=f
;;! object: producers-merged-b.wat
;; producers fields are merged; the first version seen of a name wins.
(module
  (@producers (language "C11" "") (processed-by "clang" "19.1.7"))
  (func $f))
