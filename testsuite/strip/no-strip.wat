;;! args: --no-entry
;;! run: call run -> 1
;; Without stripping: name, producers and target_features are all written.
(module
  (@features +sign-ext)
  (@producers (processed-by "tool" "1"))
  (func $run (export "run") (result i32) i32.const 1)
  (@section ".debug_info" "debug"))
