;;! args: -shared --why-extract=/
;;! expect-error: cannot open --why-extract= file /: Is a directory
;; With -shared, wasm-ld still writes the --why-extract= file before it lays out the module: a
;; folder as that file is its error (touchstone-ld, which does not build -shared yet, checks the
;; file before it refuses -shared).
(module
  (func $_start (export "_start")))
