;;! args: --no-entry
;;! run: call run -> 1
;; Table slots are given only by relocations in live code: the dead function's address-taking
;; does not consume slot 1.
(module
  (func $x)
  (func $y)
  (func $dead (result i32) i32.const 0 (@funcaddr $x))
  (func $run (export "run") (result i32) i32.const 0 (@funcaddr $y)))
