;;! args: --no-entry
;;! run: call run -> 7
;; A PIC object's `__memory_base` and `__table_base`, named only by R_WASM_GLOBAL_INDEX_I32
;; relocations in a debug section: in a static link no code uses them, so no GOT entry is made
;; and the debug words get the tombstone -1 (lld's calcNewValue: a symbol that is not live).
(module
  (import "env" "__memory_base" (global $mb i32))
  (import "env" "__table_base" (global $tb i32))
  (func $run (export "run") (result i32) i32.const 7)
  (@section ".debug_info" (@reloc global_index_i32 $mb) (@reloc global_index_i32 $tb)))
