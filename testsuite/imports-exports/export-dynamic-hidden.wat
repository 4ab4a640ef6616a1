;;! args: --no-entry --export-dynamic --export=secret
;;! run: call secret -> 4
;; A hidden function is exported only when asked for by name.
(module
  (func $visible (result i32) i32.const 3)
  (func $secret (@sym hidden) (result i32) i32.const 4))
