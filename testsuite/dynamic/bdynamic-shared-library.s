#! args: -Bdynamic --no-entry --export=get --export=ptr
#! object: libdemo.yaml
# A static (non-PIC) module linked against a shared library with -Bdynamic: dylink.0 with no
# memory of its own, GOT imports, and __wasm_apply_data_relocs storing absolute addresses.
.functype libfunc () -> (i32)
.globl get
get:
  .functype get () -> (i32)
  global.get libdata@GOT
  i32.load 0
  global.get libfunc@GOT
  i32.add
  end_function
.section .data.ptr,"",@
.globl ptr
.p2align 2
ptr:
  .int32 libdata
  .size ptr, 4
