#! args: --no-entry --export=get
#! object: libdemo.yaml
#! expect-error: attempted static link of dynamic object
# A shared library where the link is static (no -pie, -shared or -Bdynamic) is refused.
.functype libfunc () -> (i32)
.globl get
get:
  .functype get () -> (i32)
  call libfunc
  end_function
