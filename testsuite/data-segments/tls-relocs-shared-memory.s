#! args: --no-entry --shared-memory --export=__wasm_init_tls --export=get
# A static link with shared memory and a relocation inside .tdata: wasm-ld makes
# __wasm_apply_tls_relocs (empty: nothing is left for the loader) and __wasm_init_tls calls it.
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
