;;! args: --no-entry
;;! run: call run -> 1
;; Output segments are sorted: `.rodata` comes before `.data` although defined after it.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $ro)
    i32.const 0 (@addr $rw)
    i32.lt_u)
  (data $rw (@segment ".data.rw") "w")
  (data $ro (@segment ".rodata.ro") "r"))
