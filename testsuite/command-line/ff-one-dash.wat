;;! args: --export=run -no-entry
;;! expect-error: unknown argument: -no-entry
;; FF<"no-entry"> takes two dashes only (F<...> flags take one or two).
(module
  (func $run (export "run") (result i32)
    i32.const 1))
