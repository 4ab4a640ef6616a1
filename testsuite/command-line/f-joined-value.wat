;;! args: --no-entry --export=run --strip-all=yes
;;! expect-error: unknown argument: --strip-all=yes
;; A flag (F<"strip-all">) takes no value, not even a joined one.
(module
  (func $run (export "run") (result i32)
    i32.const 1))
