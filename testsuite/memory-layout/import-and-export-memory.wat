;;! args: --no-entry --import-memory --export-memory --export=run
;; --import-memory with --export-memory re-exports the imported memory.
(module
  (func $run (result i32) i32.const 0 (@addr $d))
  (data $d "\01"))
