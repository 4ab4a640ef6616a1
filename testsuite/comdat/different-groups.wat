;;! args: --no-entry
;;! object: different-groups-b.wat
;;! expect-error: duplicate symbol: f
;; Same symbol in two different COMDAT groups: both groups are kept, so the symbols clash.
(module
  (func $f (@comdat "one") (result i32) i32.const 1)
  (func $run (export "run") (result i32) call $f))
