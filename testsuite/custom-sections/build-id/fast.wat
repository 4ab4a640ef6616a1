;;! args: --no-entry --export=run --build-id
;;! run: call run -> 42
;; --build-id (style fast): a `build_id` section after every other section, 16 bytes: a v5
;; UUID made from the xxh3 hash of the whole output (1 MiB chunks hashed, then the hashes),
;; hashed with spaces in place of the id. Byte identity with wasm-ld checks the hash.
(module
  (func $run (export "run") (result i32) i32.const 42))
