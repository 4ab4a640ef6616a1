#! args: -shared --experimental-pic --unresolved-symbols=import-dynamic
# Data relocations in a PIC link: which become __wasm_apply_data_relocs code.
.functype ext_func () -> ()
.functype hidden_func () -> ()
.globl hidden_func
.hidden hidden_func
hidden_func:
  .functype hidden_func () -> ()
  end_function
.section .data.ptrs,"",@
.globl ptrs
.p2align 2
ptrs:
  .int32 local_data          # MEMORY_ADDR_I32 -> hidden local: __memory_base + off
  .int32 local_data+8        # with addend
  .int32 ext_data            # MEMORY_ADDR_I32 -> undefined: GOT.mem import
  .int32 ext_data+12         # GOT + addend
  .int32 hidden_func         # TABLE_INDEX_I32 -> local: __table_base + slot
  .int32 ext_func            # TABLE_INDEX_I32 -> undefined: GOT.func import
  .size ptrs, 24
.section .bss.local_data,"",@
.p2align 3
local_data:
  .skip 16
  .size local_data, 16
.section .rodata.str,"",@
str:
  .asciz "hi"
  .size str, 3
.section .data.strp,"",@
.globl strp
.p2align 2
strp:
  .int32 str
  .size strp, 4
.section .custom_section.target_features,"",@
.int8 1
.int8 43
.int8 15
.ascii "mutable-globals"
