;;! args: --no-entry
;;! object: comdat-vs-plain-b.wat
;;! expect-error: duplicate symbol: f
;; A COMDAT definition and a plain strong definition of the same name clash.
(module
  (func $f (@comdat "f") (result i32) i32.const 1)
  (func $run (export "run") (result i32) call $f))
