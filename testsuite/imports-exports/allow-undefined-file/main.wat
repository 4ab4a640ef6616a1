;;! args: --no-entry --export=run --allow-undefined-file=names.txt
;;! object: names.txt
;; --allow-undefined-file=FILE (or `-allow-undefined-file FILE`, one dash only): the
;; undefined functions named in the file (one name a line, trimmed; blank lines and lines
;; starting with `#` skipped) become imports, as with --allow-undefined.
(module
  (import "env" "f" (func $f (result i32)))
  (import "env" "h" (func $h (result i32)))
  (func $run (export "run") (result i32)
    call $f
    call $h
    i32.add))
