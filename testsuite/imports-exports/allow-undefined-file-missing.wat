;;! args: --no-entry --export=run --allow-undefined-file=no-such-list.txt
;;! expect-error: cannot open no-such-list.txt
;; A list that cannot be read is an error, naming it.
(module
  (func $run (export "run") (result i32) i32.const 0))
