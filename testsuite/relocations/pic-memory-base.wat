;;! args: --no-entry
;;! run: call run -> 66
;; PIC-style data access: global.get __memory_base plus MEMORY_ADDR_REL_SLEB.
(module
  (import "env" "__memory_base" (global $mb i32))
  (func $run (export "run") (result i32)
    global.get $mb
    i32.const 0 (@addr.rel $x)
    i32.add
    i32.load8_u)
  (data $x "\42"))
