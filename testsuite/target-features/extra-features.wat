;;! args: --no-entry --extra-features=simd128
;;! run: call run -> 1
;; --extra-features adds to the computed set.
(module
  (@features +sign-ext)
  (func $run (export "run") (result i32) i32.const 1))
