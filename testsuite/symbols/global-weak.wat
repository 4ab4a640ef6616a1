;;! args: --no-entry
;;! object: global-weak-strong.wat
;;! run: call run -> 9
;; A weak global is replaced by a strong global of the same name.
(module
  (global $config (@sym weak) i32 (i32.const 1))
  (func $run (export "run") (result i32) global.get $config))
