;;! args: --no-entry --export=run
;; `explicit_name` on an `env` import of the same name makes it importable without
;; --allow-undefined (like clang's import_name attribute).
(module
  (import "env" "ext" (func $ext (@sym explicit_name) (result i32)))
  (func $run (result i32) call $ext))
