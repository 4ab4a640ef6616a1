#! args: -shared --shared-memory --experimental-pic --export=__wasm_init_tls
.globaltype __tls_base, i32
.globl get
get:
  .functype get () -> (i32)
  global.get __tls_base
  i32.const tp2@TLSREL
  i32.add
  i32.load 0
  end_function
.section .tdata.tv2,"T",@
.globl tv2
.hidden tv2
.p2align 2
tv2:
  .int32 1
  .size tv2, 4
.section .tdata.tp2,"T",@
.globl tp2
.hidden tp2
.p2align 2
tp2:
  .int32 tv2+4
  .size tp2, 4
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
