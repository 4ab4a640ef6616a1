;;! args: --no-entry --wrap=foo --wrap=nosuchsym --export=foo --export=__real_foo
;;! run: call run -> 111
;; `--wrap=foo`: references to `foo` go to `__wrap_foo`, references to `__real_foo` to the
;; original `foo`; `--export=foo` exports `__wrap_foo`, `--export=__real_foo` exports `foo`
;; (lld's wrapSymbols; a name that is not in the symbol table is ignored).
(module
  (import "env" "__real_foo" (func $real (result i32)))
  (func $foo (result i32) i32.const 11)
  (func $__wrap_foo (result i32)
    call $real
    i32.const 100
    i32.add)
  (func $run (export "run") (result i32)
    call $foo))
