;;! args: --no-entry --strip-debug --compress-relocations
;;! run: call run -> 42
;; --compress-relocations rewrites relocated LEBs to minimal length (needs --strip-debug).
(module
  (func $helper (result i32) i32.const 0 (@addr $v) i32.load)
  (func $run (export "run") (result i32) call $helper)
  (data $v (@segment align=4) "\2a\00\00\00"))
