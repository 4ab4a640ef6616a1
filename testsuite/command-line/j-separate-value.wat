;;! args: --no-entry --export=run --build-id sha1
;;! expect-error: cannot open sha1
;; `--build-id` is a flag and `--build-id=` a joined option: a separate word is an input.
(module
  (func $run (export "run") (result i32)
    i32.const 1))
