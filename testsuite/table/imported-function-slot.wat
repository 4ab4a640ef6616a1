;;! args: --no-entry --allow-undefined --export=run
;; An imported function whose address is taken gets a slot (the element names the import).
(module
  (import "env" "ext" (func $ext))
  (func $run (result i32) i32.const 0 (@funcaddr $ext)))
