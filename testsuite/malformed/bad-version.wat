;;! args: --no-entry
;;! object: bad-version.hex
;;! expect-error: invalid version number: 2
;; A wasm binary with an unknown version.
(module
  (func $f (export "f")))
