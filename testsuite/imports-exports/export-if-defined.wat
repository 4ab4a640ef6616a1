;;! args: --no-entry --export-if-defined=nothere --export-if-defined=here
;;! run: call here -> 2
;; --export-if-defined ignores names that are not defined.
(module
  (func $here (result i32) i32.const 2))
