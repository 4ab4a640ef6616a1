;;! args: --no-entry --import-memory --export=run
;; With an imported memory and no bulk-memory feature, `.bss` is emitted as explicit zeros.
(module
  (func $run (result i32) i32.const 0 (@addr $z) i32.load)
  (data $z (@segment ".bss.z" align=4) (@zero 8)))
