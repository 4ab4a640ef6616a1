#! args: -pie --experimental-pic
# A PIE: internal GOT entries for a hidden function and a data symbol, set by
# __wasm_apply_global_relocs (the start function); a constructor; pointers in data, stored by
# __wasm_apply_data_relocs (exported last).
.globaltype __memory_base, i32, immutable
.functype helper () -> (i32)
.section .text.helper,"",@
.hidden helper
.globl helper
helper:
  .functype helper () -> (i32)
  i32.const 5
  end_function
.section .text._start,"",@
.globl _start
_start:
  .functype _start () -> ()
  global.get value@GOT
  i32.load 0
  drop
  global.get helper@GOT
  drop
  global.get __memory_base
  i32.const value@MBREL
  i32.add
  drop
  end_function
.section .text.init,"",@
init:
  .functype init () -> ()
  end_function
.section .init_array,"",@
.p2align 2
.int32 init
.section .data.value,"",@
.globl value
.p2align 2
value:
  .int32 42
  .size value, 4
.section .data.ptr,"",@
.globl ptr
.p2align 2
ptr:
  .int32 value+4
  .int32 helper
  .size ptr, 8
