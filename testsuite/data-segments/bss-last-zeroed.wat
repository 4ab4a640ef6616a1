;;! args: --no-entry
;;! run: call run -> 1
;; `.bss` is placed last and not emitted; its memory reads as zero.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $zeroes)
    i32.load
    i32.eqz
    i32.const 0 (@addr $zeroes)
    i32.const 0 (@addr $data)
    i32.gt_u
    i32.and)
  (data $zeroes (@segment ".bss.zeroes" align=4) (@zero 4))
  (data $data (@segment ".data.data") "d"))
