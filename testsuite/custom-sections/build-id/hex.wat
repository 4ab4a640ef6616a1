;;! args: --no-entry --export=run --build-id=0xc0ffee1
;;! run: call run -> 42
;; --build-id=0x...: these bytes, two digits a byte and a last odd digit a byte of its own
;; (c0 ff ee 01).
(module
  (func $run (export "run") (result i32) i32.const 42))
