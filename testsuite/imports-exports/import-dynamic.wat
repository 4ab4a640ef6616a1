;;! args: --no-entry --unresolved-symbols=import-dynamic --export=run
;;! args: --export-table
;; --unresolved-symbols=import-dynamic: undefined symbols become imports, and the module gets
;; a `dylink.0` section (first, before the type section) with the memory info subsection:
;; no memory of its own (size and alignment 0), and the table size (1 element here).
;; wasm-ld also warns that dynamic imports are not yet stable.
(module
  (import "env" "f" (func $f (result i32)))
  (func $g (result i32) i32.const 5)
  (func $run (export "run") (result i32)
    call $f
    i32.const 0 (@funcaddr $g)
    drop))
