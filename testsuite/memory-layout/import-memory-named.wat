;;! args: --no-entry --import-memory=host,heap --export=run
;; --import-memory=MODULE,NAME.
(module
  (func $run (result i32) i32.const 0 (@addr $d))
  (data $d "\01"))
