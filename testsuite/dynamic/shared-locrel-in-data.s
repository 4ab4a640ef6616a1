#! args: -shared --experimental-pic
#! expect-error: invalid runtime relocation type in data section: R_WASM_MEMORY_ADDR_LOCREL_I32
# R_WASM_MEMORY_ADDR_LOCREL_I32 in data: fine in a static link, an error in PIC
# ("invalid runtime relocation type in data section").
.section .data.rel,"",@
.globl rel
.p2align 2
rel:
  .int32 target - .
  .size rel, 4
.section .data.target,"",@
target:
  .int32 7
  .size target, 4
