;; Weak undefined references to a function and to data that nothing defines: their addresses
;; are 0 (TABLE_INDEX_SLEB and MEMORY_ADDR_SLEB against undefined weak symbols).
;;# expect V0 + 2
;;# part a object
(import "env" "wf{K}" (func $wf{K} (@sym weak) (result i32)))
(@undef-data $wd{K} weak)
(func $u{K} (result i32)
  i32.const {V0}
  i32.const 0 (@addr $wd{K})
  i32.eqz
  i32.add
  i32.const 0 (@funcaddr $wf{K})
  i32.eqz
  i32.add)
