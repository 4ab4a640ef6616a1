;;! args: --no-entry --features=sign-ext,mutable-globals
;;! run: call run -> 1
;; --features=LIST sets the output features; the objects' used features must be in it.
(module
  (@features +sign-ext)
  (func $run (export "run") (result i32) i32.const 1))
