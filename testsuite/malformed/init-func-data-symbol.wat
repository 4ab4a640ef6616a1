;;! args: --no-entry --export=f
;;! expect-error: invalid function symbol: 1
;; An init function entry naming a data symbol.
(module
  (func $f)
  (data $d "x")
  (@init $d 1))
