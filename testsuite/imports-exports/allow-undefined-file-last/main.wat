;;! args: --no-entry --export=run --allow-undefined-file=first.txt --allow-undefined-file=second.txt
;;! object: first.txt second.txt
;;! expect-error: undefined symbol: f
;; Only the last --allow-undefined-file counts (wasm-ld 22 reads only that one): `f`, named
;; in the first file, is still undefined.
(module
  (import "env" "f" (func $f (result i32)))
  (import "env" "h" (func $h (result i32)))
  (func $run (export "run") (result i32)
    call $f
    call $h
    i32.add))
