;;! args: --no-entry
;;! object: user.wat strong.wat
;;! run: call run -> 7
;; A function with a weak alias `hook`; another object defines a strong `hook`, which wins for
;; references to `hook` (user.wat: 6), while calls through the function's own symbol still reach
;; it (1): 6 + 1 = 7. zig 0.17 replaces the function itself, so `call $impl` also runs the strong
;; `hook` (6 + 6 = 12). The objects carry a target_features section because zig refuses objects
;; without one before it gets this far.
(module
  (@features +mutable-globals)
  (import "env" "user" (func $user (result i32)))
  (func $impl (@alias "hook" weak) (result i32) i32.const 1)
  (func $run (export "run") (result i32) call $user call $impl i32.add))
