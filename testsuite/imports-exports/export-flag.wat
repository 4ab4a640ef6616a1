;;! args: --no-entry --export=plain
;;! run: call plain -> 1
;; --export=NAME exports a function that is not otherwise exported.
(module
  (func $plain (result i32) i32.const 1))
