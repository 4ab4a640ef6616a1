;;! args: --no-entry --export=run --build-id=md5
;;! expect-error: unknown --build-id style: md5
(module
  (func $run (export "run") (result i32) i32.const 42))
