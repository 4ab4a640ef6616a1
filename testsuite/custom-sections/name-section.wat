;;! args: --no-entry --export=f
;; The output's name section names functions by symbol (the object has none of its own).
(module
  (func $f call $helper)
  (func $helper))
