;;! args: --no-entry
;;! run: call run -> 0
;; The `.bss` prefix test has no trailing dot: `.bssfoo` is bss too, and omitted.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $b)
    i32.load8_u)
  (data $b (@segment ".bssfoo") "\2a"))
