#! args: -pie --experimental-pic --shared-memory
# As pie-internal-got.s with shared memory: passive segments, __wasm_init_memory at __memory_base, and __wasm_start calling the global relocations first.
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
.section .custom_section.target_features,"",@
.int8 2
.int8 43
.int8 7
.ascii "atomics"
.int8 43
.int8 11
.ascii "bulk-memory"
