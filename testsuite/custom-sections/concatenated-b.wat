(module
  (@section "mmm" "4")
  (@section "aaa" "5")
  (@section "emptyone" "")
  (@section "aaa" "6"))
