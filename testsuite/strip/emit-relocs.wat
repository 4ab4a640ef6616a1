;;! args: --no-entry --emit-relocs
;;! run: call run -> 42
;; --emit-relocs keeps linking and reloc sections in the output (and emits .bss).
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $v) i32.load
    i32.const 0 (@addr $w) i32.load
    i32.add)
  (data $v (@segment ".bss.v" align=4) (@zero 4))
  (data $w (@segment align=4) "\2a\00\00\00"))
