#! args: -pie --experimental-pic --no-shlib-sigcheck
#! object: libdemo.yaml
# As shared-library-signature-mismatch.s with --no-shlib-sigcheck: the call's signature is imported.
.functype libfunc (i32) -> (i32)
.globl _start
_start:
  .functype _start () -> ()
  i32.const 1
  call libfunc
  drop
  end_function
