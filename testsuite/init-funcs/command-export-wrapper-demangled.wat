;;! args: --export=_Z3fooi
;;! run: call _Z3fooi 7 -> 7
;; The command-export wrapper of a C++ function is named `_Z3fooi.command_export`, and the
;; name section demangles it like every other name: `foo(int) (.command_export)`, the
;; suffix read as a clone suffix.
(module
  (func $_Z3fooi (export "_Z3fooi") (param i32) (result i32) local.get 0)
  (func $init (@init 100))
  (func $_start (export "_start")))
