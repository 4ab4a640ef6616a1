;;! args: --entry=begin
;;! run: call begin -> 11
;; --entry=NAME makes NAME the (exported) entry point.
(module
  (func $begin (result i32) i32.const 11))
