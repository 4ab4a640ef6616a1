;;! args: --no-entry -no-gc-sections -export run -build-id=sha1 -extra-features=sign-ext
;;! run: call run -> 1
;; One-dash spellings wasm-ld accepts: F (-no-gc-sections), Eq with a separate value
;; (-export run), J (-build-id=sha1) and CommaJoined (-extra-features=sign-ext).
(module
  (func $run (export "run") (result i32)
    i32.const 1))
