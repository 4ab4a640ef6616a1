;;! args: --no-entry ---export=run
;;! expect-error: unknown argument: ---export=run
;; One or two dashes, never three.
(module
  (func $run (export "run") (result i32)
    i32.const 1))
