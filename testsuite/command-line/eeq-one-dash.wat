;;! args: --no-entry --export=run -error-limit=5
;;! expect-error: entry symbol not defined (pass --no-entry to suppress): rror-limit=5
;; EEq<"error-limit"> takes two dashes only, so `-error-limit=5` is `-e rror-limit=5`.
(module
  (func $run (export "run") (result i32)
    i32.const 1))
