;;! args: --no-entry
;;! run: call answer -> 42
;; The EXPORTED symbol flag exports the function under its symbol name.
(module
  (func $answer (@sym exported) (result i32) i32.const 42))
