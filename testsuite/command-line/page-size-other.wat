;;! args: --no-entry --export=run --page-size=4096
;;! expect-error: --page_size=N must be either 1 or 65536
;; The custom-page-sizes proposal allows only 1 and 65536.
(module (func $run (export "run") (result i32) i32.const 1))
