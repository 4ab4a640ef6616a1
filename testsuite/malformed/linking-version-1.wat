;;! args: --no-entry --export=f
;;! expect-error: unexpected metadata version: 1 (Expected: 2)
;; A `linking` section of version 1 (only version 2 is understood).
(module
  (@linking-version 1)
  (func $f))
