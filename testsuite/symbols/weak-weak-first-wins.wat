;;! args: --no-entry
;;! object: weak-weak-first-wins-other.wat
;;! run: call run -> 1
;; Between two weak definitions the first one wins.
(module
  (func $value (@sym weak) (result i32) i32.const 1)
  (func $run (export "run") (result i32) call $value))
