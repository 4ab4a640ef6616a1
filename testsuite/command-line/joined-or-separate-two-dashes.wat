;;! args: --no-entry --export=run --z stack-size=65536
;;! expect-error: unknown argument: --z
;; JoinedOrSeparate<["-"], "z"> takes one dash only (`-z stack-size=N` or `-zstack-size=N`).
(module
  (func $run (export "run") (result i32)
    i32.const 1))
