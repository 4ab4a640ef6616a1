;;! args: --no-entry --export=run -z noexecstack
;;! run: call run -> 1
;; Without --fatal-warnings an unknown `-z` keyword is only a warning.
(module (func $run (export "run") (result i32) i32.const 1))
