(module
  (@features +mutable-globals)
  ;; The "FILE": an iovec { text, 8 }.
  (data $file (@segment align=4) (@addr $text) "\08\00\00\00")
  (data $text "flushed\n")
  (data $__stdout_used (@segment align=4) (@addr $file)))
