;;! args: --no-entry --export=kept
;;! run: call kept -> 4
;; --export=NAME keeps the function (and exports it).
(module
  (func $dead (result i32) i32.const 1)
  (func $kept (result i32) i32.const 4))
