;;! args: --no-entry --export=f
;;! expect-error: section too large
;; The object is cut short in the middle of its sections.
(module
  (@truncate 30)
  (func $f (result i32) i32.const 1))
