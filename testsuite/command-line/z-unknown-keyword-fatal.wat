;;! args: --no-entry --export=run -z noexecstack --fatal-warnings
;;! expect-error: unknown -z value: noexecstack
;; wasm-ld knows only `-z stack-size=N` and warns about other keywords (which generic drivers
;; pass); --fatal-warnings makes the warning an error, and nothing is written.
(module (func $run (export "run") (result i32) i32.const 1))
