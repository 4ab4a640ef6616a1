;;! args: --no-entry --strip-all --keep-section=target_features --keep-section=name
;;! run: call run -> 1
;; --keep-section keeps a named section through --strip-all.
(module
  (@features +sign-ext)
  (func $run (export "run") (result i32) i32.const 1))
