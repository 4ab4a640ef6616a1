;;! args: --no-entry --compress-relocations
;;! expect-error: --compress-relocations is incompatible with output debug information. Please pass --strip-debug or --strip-all
;; --compress-relocations without stripping debug info is refused.
(module
  (func $run (export "run") (result i32) i32.const 1))
