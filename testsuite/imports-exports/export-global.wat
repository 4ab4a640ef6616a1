;;! args: --no-entry --export=counter --export=run
;;! run: call run -> 9
;; Exporting a defined immutable global.
(module
  (global $counter i32 (i32.const 9))
  (func $run (result i32) global.get $counter))
