;;! args: --no-entry
;;! object: magic-wrong.hex
;;! expect-error: unknown file type: magic-wrong.o
;; An input whose magic number is wrong is not a wasm object.
(module
  (func $f (export "f")))
