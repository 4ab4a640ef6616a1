;;! args: --no-entry --wrap=foo --allow-undefined --export=run
;; `--wrap=foo` with no `__wrap_foo` anywhere: the call goes to an import of `__wrap_foo`
;; with `foo`'s signature, and `foo` itself is collected (lld's wrapSymbols).
(module
  (func $foo (result i32) i32.const 11)
  (func $run (export "run") (result i32)
    call $foo))
