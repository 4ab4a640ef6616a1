;;! args: --no-entry
;;! archive: libmath.a = m-add.wat
;;! run: call run -> 0
;; A weak undefined reference never pulls an archive member.
(module
  (import "env" "add" (func $add (@sym weak) (param i32 i32) (result i32)))
  (func $run (export "run") (result i32) i32.const 0 (@funcaddr $add)))
