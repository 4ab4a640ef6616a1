;;! args: --no-entry --export=run --build-id=tree --strip-all
;;! run: call run -> 42
;; --build-id=sha1 (`tree` is its alias): 20 bytes of SHA-1 over the output's chunk hashes.
;; --strip-all keeps the section.
(module
  (func $run (export "run") (result i32) i32.const 42))
