;;! expect-error: entry symbol not defined (pass --no-entry to suppress): _start
;; No `_start` and no --no-entry.
(module
  (func $main))
