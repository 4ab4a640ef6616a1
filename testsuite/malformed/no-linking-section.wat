;;! args: --no-entry --export=f
;;! expect-error: not a relocatable wasm file
;; A module without a `linking` section is not a relocatable object.
(module
  (@no-linking)
  (func $f (export "f")))
