;;! args: --no-entry --export=run --build-id=sha1 --build-id=none
;;! run: call run -> 42
;; The last --build-id wins: `none` after `sha1` leaves the section out.
(module
  (func $run (export "run") (result i32) i32.const 42))
