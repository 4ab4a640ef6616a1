;;! args: --no-entry
;;! archive: libc.a = comdat-in-archive-m.wat
;;! run: call run -> 3
;; The object's COMDAT copy is kept; the member pulled for `helper` drops its own copy.
(module
  (import "env" "helper" (func $helper (result i32)))
  (func $f (@comdat "f") (result i32) i32.const 1)
  (func $run (export "run") (result i32) call $helper call $f i32.add))
