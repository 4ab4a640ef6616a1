;;! args: --no-entry
;;! object: empty-module.hex
;;! expect-error: empty-module.o: not a relocatable wasm file
;; A wasm module with no linking section given as an object.
(module
  (func $f (export "f")))
