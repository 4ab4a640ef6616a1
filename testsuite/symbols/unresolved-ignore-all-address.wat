;;! args: --no-entry --unresolved-symbols=ignore-all
;;! run: call run -> 0
;; --unresolved-symbols=ignore-all: undefined data has address 0.
(module
  (@undef-data $missing)
  (func $run (export "run") (result i32) i32.const 0 (@addr $missing 12)))
