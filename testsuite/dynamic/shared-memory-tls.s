#! args: -shared --shared-memory --experimental-pic
# TLS in a PIC module: a TLS variable used through __tls_base and through
# the GOT (GOT@TLS), and a TLS address stored in TLS data.
.globaltype __tls_base, i32
.globl get_tls
get_tls:
  .functype get_tls () -> (i32)
  global.get __tls_base
  i32.const tlsvar@TLSREL
  i32.add
  i32.load 0
  global.get tlsvar2@GOT@TLS
  i32.load 0
  i32.add
  end_function
.section .tdata.tlsvar,"T",@
.globl tlsvar
.p2align 2
tlsvar:
  .int32 1
  .size tlsvar, 4
.section .tdata.tlsvar2,"T",@
.globl tlsvar2
.p2align 2
tlsvar2:
  .int32 2
  .size tlsvar2, 4
.section .tdata.tlsptr,"T",@
.globl tlsptr
.p2align 2
tlsptr:
  .int32 tlsvar
  .size tlsptr, 4
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
