;;! args: --no-entry --import-memory --export=run
;; --import-memory: the memory comes from env.memory (no memory section, no export).
(module
  (func $run (result i32) i32.const 0 (@addr $d))
  (data $d "\01"))
