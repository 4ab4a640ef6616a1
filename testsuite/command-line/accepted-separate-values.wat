;;! args: -entry run --error-limit 5 -O 1 -zstack-size=32768 -m wasm32 --lto-O2 --global-base=65536
;;! run: call run -> 1
;; Separate and joined values: S (-entry run), EEq (--error-limit 5), JoinedOrSeparate
;; (-O 1, -zstack-size=32768, -m wasm32) and JJ (--lto-O2 has no `=`, --global-base=65536).
(module
  (func $run (export "run") (result i32)
    i32.const 1))
