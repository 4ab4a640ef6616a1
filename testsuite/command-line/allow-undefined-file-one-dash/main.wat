;;! args: --no-entry --export=run -allow-undefined-file names.txt
;;! object: names.txt
;; `-allow-undefined-file FILE` (Separate<["-"]>, one dash) names the file like the joined
;; `--allow-undefined-file=FILE`: the undefined function `f` becomes an import (link only).
(module
  (import "env" "f" (func $f (result i32)))
  (func $run (export "run") (result i32)
    call $f
    drop
    i32.const 0))
