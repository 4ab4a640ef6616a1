;;! args: --no-entry
;;! run: call run -> 12
;; __start_NAME / __stop_NAME bound an output segment whose name is a C identifier.
(module
  (@undef-data $__start_my_items)
  (@undef-data $__stop_my_items)
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $__stop_my_items)
    i32.const 0 (@addr $__start_my_items)
    i32.sub)
  (data $item1 (@segment "my_items" align=4 retain) "\01\00\00\00\02\00\00\00")
  (data $item2 (@segment "my_items" align=4 retain) "\03\00\00\00"))
