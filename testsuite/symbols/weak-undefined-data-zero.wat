;;! args: --no-entry
;;! run: call run -> 0
;; A weak undefined data symbol has address 0 (the addend is ignored).
(module
  (@undef-data $maybe_data weak)
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $maybe_data 8)))
