#! args: -pie --experimental-pic
#! object: libdemo.yaml
# A PIE linked against a shared library: its function is imported (called, and its address
# taken through GOT.func), its data reached through GOT.mem, a pointer to it in data stored by
# __wasm_apply_data_relocs; dylink.0 names the library as needed.
.functype libfunc () -> (i32)
.globl _start
_start:
  .functype _start () -> ()
  call libfunc
  drop
  global.get libfunc@GOT
  drop
  global.get libdata@GOT
  i32.load 0
  drop
  end_function
.section .data.ptr,"",@
.globl ptr
.p2align 2
ptr:
  .int32 libdata+4
  .size ptr, 4
