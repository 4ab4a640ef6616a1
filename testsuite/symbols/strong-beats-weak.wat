;;! args: --no-entry
;;! object: strong-beats-weak-strong.wat
;;! run: call run -> 2
;; A weak definition loses to a strong one that comes later.
(module
  (func $value (@sym weak) (result i32) i32.const 1)
  (func $run (export "run") (result i32) call $value))
