(module
  (data $b (@segment "tbl" retain) "\03"))
