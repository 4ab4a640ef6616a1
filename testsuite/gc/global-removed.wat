;;! args: --no-entry
;;! run: call run -> 1
;; Unreferenced globals are removed too: `used` is global 1 (after __stack_pointer).
(module
  (global $unused (mut i32) (i32.const 7))
  (global $used (mut i32) (i32.const 8))
  (func $run (export "run") (result i32)
    global.get $used
    drop
    i32.const 0 (@addr $idx)
    i32.load)
  (data $idx (@segment align=4) (@reloc global_index_i32 $used)))
