;;! args: --no-entry --export=ga --export=gb --allow-undefined
;;! object: global-import-module-first-wins-b.wat
;; Two objects import the same global and table from different modules and under different
;; field names. wasm-ld checks import names only for functions (`addUndefinedFunction`): the
;; global and the table keep the first object's module and field (checked with rust-lld 22;
;; two functions would give "import module mismatch").
(module
  (import "foo" "g_field" (global $g i32))
  (import "foo" "t_field" (table $t 0 funcref))
  (func $ga (export "ga") (result i32)
    global.get $g
    table.size $t
    i32.add))
