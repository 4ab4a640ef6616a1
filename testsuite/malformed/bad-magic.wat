;;! args: --no-entry
;;! object: bad-magic.hex
;;! expect-error: unknown file type: bad-magic.o
;; An input whose magic number is wrong is not a wasm object.
(module
  (func $f (export "f")))
