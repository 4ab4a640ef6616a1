;;! args: --no-entry --allow-undefined --export=run
;; Imports come in symbol order, functions and globals interleaved.
(module
  (import "env" "f1" (func $f1 (result i32)))
  (import "env" "g1" (global $g1 i32))
  (import "env" "f2" (func $f2 (result i32)))
  (func $run (result i32) call $f2 global.get $g1 call $f1 i32.add i32.add))
