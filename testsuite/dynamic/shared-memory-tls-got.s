#! args: -shared --shared-memory --experimental-pic --export=__wasm_init_tls
# A hidden TLS variable reached through GOT@TLS (an internal GOT entry),
# a hidden data symbol reached through GOT (internal GOT), and a TLS
# data relocation. Link: -shared [--shared-memory] --export=__wasm_init_tls
.globl get
get:
  .functype get () -> (i32)
  global.get tv@GOT@TLS
  i32.load 0
  global.get hd@GOT
  i32.load 0
  i32.add
  global.get tp@GOT@TLS
  i32.load 0
  i32.add
  global.get hp@GOT
  i32.load 0
  i32.add
  end_function
.section .tdata.tv,"T",@
.globl tv
.hidden tv
.p2align 2
tv:
  .int32 1
  .size tv, 4
.section .tdata.tp,"T",@
.globl tp
.hidden tp
.p2align 2
tp:
  .int32 tv
  .size tp, 4
.section .data.hd,"",@
.globl hd
.hidden hd
.p2align 2
hd:
  .int32 3
  .size hd, 4
.section .data.hp,"",@
.globl hp
.hidden hp
.p2align 2
hp:
  .int32 hd
  .size hp, 4
.section .custom_section.target_features,"",@
.int8 3
.int8 43
.int8 7
.ascii "atomics"
.int8 43
.int8 11
.ascii "bulk-memory"
.int8 43
.int8 15
.ascii "mutable-globals"
