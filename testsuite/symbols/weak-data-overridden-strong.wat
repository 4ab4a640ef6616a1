(module
  (data $setting "\c8"))
