;;! args: --no-entry
;;! run: call run -> 16
;; An input with 16-byte alignment after a 1-byte one starts at the next multiple of 16.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $aligned)
    i32.const 0 (@addr $small)
    i32.sub)
  (data $small "s")
  (data $aligned (@segment ".data.aligned" align=16) "a"))
