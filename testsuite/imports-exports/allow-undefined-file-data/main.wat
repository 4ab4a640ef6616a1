;;! args: --no-entry --export=run --allow-undefined-file=list.txt
;;! object: list.txt
;;! run: call run -> 0
;; A data symbol named in --allow-undefined-file is allowed too: it cannot be imported, so
;; it stays undefined at address 0 (`run` loads the word at 0). Without the list the link
;; fails (symbols/undefined-data.wat).
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $f)
    i32.load)
  (@undef-data $f))
