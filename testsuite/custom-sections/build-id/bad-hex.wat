;;! args: --no-entry --export=run --build-id=0x12zz
;;! expect-error: not a hexadecimal value: zz
(module
  (func $run (export "run") (result i32) i32.const 42))
