;;! args: --no-entry --export=run --allow-undefined-file names.txt
;;! expect-error: unknown argument: --allow-undefined-file
;; The separate spelling of allow-undefined-file is Separate<["-"]>: one dash only (the
;; joined `--allow-undefined-file=FILE` takes one or two).
(module
  (func $run (export "run") (result i32)
    i32.const 1))
