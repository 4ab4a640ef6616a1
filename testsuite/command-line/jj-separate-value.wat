;;! args: --no-entry --export=run --global-base 65536
;;! expect-error: unknown argument: --global-base
;; JJ<"global-base="> takes its value joined only (`--global-base=65536`).
(module
  (func $run (export "run") (result i32)
    i32.const 1))
