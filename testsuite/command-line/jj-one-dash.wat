;;! args: --no-entry --export=run -max-memory=131072
;;! expect-error: invalid target architecture: ax-memory=131072
;; JJ<"max-memory="> takes two dashes only, so `-max-memory=131072` is `-m ax-memory=131072`.
(module
  (func $run (export "run") (result i32)
    i32.const 1))
