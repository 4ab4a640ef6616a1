#! args: -mwasm64 -shared --experimental-pic --unresolved-symbols=import-dynamic
.functype ext_func () -> ()
.globaltype __memory_base, i64, immutable
.globaltype __table_base, i64, immutable
hf:
  .functype hf () -> ()
  end_function
.globl get
get:
  .functype get () -> (i64)
  global.get __memory_base
  i64.const d@MBREL
  i64.add
  global.get __table_base
  i64.const hf@TBREL
  i64.add
  i64.add
  end_function
.section .data.p,"",@
.globl p
.p2align 3
p:
  .int64 d
  .int64 ext_func
  .size p, 16
.section .data.d,"",@
d:
  .int64 0
  .size d, 8
.section .custom_section.target_features,"",@
.int8 2
.int8 43
.int8 15
.ascii "mutable-globals"
.int8 43
.int8 8
.ascii "memory64"
