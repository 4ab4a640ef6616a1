;;! args: --no-entry --export=f
;;! expect-error: unknown feature policy prefix
;; The `=` (required) feature prefix is rejected by wasm-ld 22.
(module
  (@features =bulk-memory)
  (func $f))
