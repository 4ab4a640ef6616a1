;;! args: --no-entry --export=run --entryrun
;;! expect-error: unknown argument: --entryrun
;; S<"entry"> takes a separate value (`--entry run`), and its alias J<"entry="> a joined one
;; after `=`; `--entryrun` is neither.
(module
  (func $run (export "run") (result i32)
    i32.const 1))
