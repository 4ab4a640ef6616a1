;;! args: --no-entry --export=nothere
;;! expect-error: symbol exported via --export not found: nothere
;; --export of an undefined name is an error.
(module
  (func $f))
