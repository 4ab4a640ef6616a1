;;! args: --no-entry --export=run --features sign-ext
;;! expect-error: unknown argument: --features
;; CommaJoined<["--", "-"], "features="> takes its values joined only (`--features=a,b`).
(module
  (func $run (export "run") (result i32)
    i32.const 1))
