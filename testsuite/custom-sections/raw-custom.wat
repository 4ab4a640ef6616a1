;;! args: --no-entry --export=f
;; A custom section written with the wast crate's own `@custom` annotation.
(module
  (func $f)
  (@custom "my.meta" "some bytes"))
