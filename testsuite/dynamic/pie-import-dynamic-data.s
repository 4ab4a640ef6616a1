#! args: -pie --experimental-pic --export=p
.globl _start
_start:
  .functype _start () -> ()
  end_function
.section .data.p,"",@
.globl p
p:
  .int32 q
  .size p, 4
.section .data.q,"",@
q:
  .int32 0
  .size q, 4
