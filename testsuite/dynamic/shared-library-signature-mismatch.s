#! args: -pie --experimental-pic
#! object: libdemo.yaml
#! expect-error: function signature mismatch: libfunc
# A function a shared library offers must be called with its signature.
.functype libfunc (i32) -> (i32)
.globl _start
_start:
  .functype _start () -> ()
  i32.const 1
  call libfunc
  drop
  end_function
