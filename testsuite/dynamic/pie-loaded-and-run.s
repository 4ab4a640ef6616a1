#! args: -pie --experimental-pic --no-entry --export=check
#! object: libdemo.yaml
#! run: call check -> 1005
# A PIE run by the oracle's dynamic loader with the library it needs: a call through the
# GOT.func slot of the library's function (1), and a pointer in data that
# __wasm_apply_data_relocs sets (&value + 4, read through an internal GOT entry that
# __wasm_apply_global_relocs sets): 1 + 4 + 1000.
.globaltype __memory_base, i32, immutable
.tabletype __indirect_function_table, funcref
.functype libfunc () -> (i32)
.globl check
check:
  .functype check () -> (i32)
  global.get libfunc@GOT
  call_indirect () -> (i32)
  global.get ptr@GOT
  i32.load 0
  global.get __memory_base
  i32.const value@MBREL
  i32.add
  i32.sub
  i32.add
  i32.const 1000
  i32.add
  end_function
.section .data.value,"",@
.globl value
.p2align 2
value:
  .int32 7
  .int32 8
  .size value, 8
.section .data.ptr,"",@
.globl ptr
.p2align 2
ptr:
  .int32 value+4
  .size ptr, 4
