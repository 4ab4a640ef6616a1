;;! args: --no-entry
;;! object: version-2.hex
;;! expect-error: invalid version number: 2
;; A wasm binary with an unknown version.
(module
  (func $f (export "f")))
