;;! args: --no-entry -shared --experimental-pic
;; A PIC object linked with -shared: memory and table imported, data at __memory_base, a
;; dylink.0 section (link only).
(module
  (@features +mutable-globals)
  (import "env" "__memory_base" (global $mb i32))
  (import "GOT.mem" "value" (global $got_value (@nosym) (mut i32)))
  (func $get (export "get") (result i32)
    global.get $got_value (@reloc global_index_leb $value)
    i32.load8_u
    global.get $mb
    i32.const 0 (@addr.rel $value)
    i32.add
    i32.load8_u
    i32.add)
  (data $value "\37"))
