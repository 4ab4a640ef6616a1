;;! args: --no-entry
;;! object: local-same-name-other.wat
;;! run: call run -> 12
;; Local symbols of the same name in two objects do not clash.
(module
  (import "env" "other" (func $other (result i32)))
  (func $helper (@sym local) (result i32) i32.const 10)
  (func $run (export "run") (result i32)
    call $helper
    call $other
    i32.add))
