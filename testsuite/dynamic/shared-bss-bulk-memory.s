#! args: -shared --experimental-pic
.globl _start
_start:
  .functype _start () -> ()
  end_function
.section .data.a,"",@
.globl a
.p2align 2
a:
  .int32 1
  .size a, 4
.section .bss.b,"",@
.globl b
.p2align 2
b:
  .int32 0
  .size b, 4
.section .custom_section.target_features,"",@
.int8 1
.int8 43
.int8 11
.ascii "bulk-memory"
