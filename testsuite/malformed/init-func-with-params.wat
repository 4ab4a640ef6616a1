;;! args: --no-entry --export=f
;;! expect-error: constructor functions cannot take arguments: f
;; An init function must take no parameters.
(module
  (func $f (param i32) (@init 10)))
