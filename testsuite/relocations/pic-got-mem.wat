;;! args: --no-entry
;;! run: call run -> 55
;; PIC-style access through the GOT: GLOBAL_INDEX_LEB against a data symbol. A static link
;; turns it into an internal GOT global holding the address.
(module
  (import "GOT.mem" "value" (global $got_value (@nosym) (mut i32)))
  (func $run (export "run") (result i32)
    global.get $got_value (@reloc global_index_leb $value)
    i32.load8_u)
  (data $value "\37"))
