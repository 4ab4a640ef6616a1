#! args: -shared --experimental-pic -rpath /opt/lib -rpath ../lib
# Weak undefined symbols of a side module: imported (a called function, a GOT entry for data)
# and listed in dylink.0's import info; -rpath fills its runtime path.
.functype weakfn () -> (i32)
.weak weakfn
.weak weakdata
.globl get
get:
  .functype get () -> (i32)
  call weakfn
  global.get weakdata@GOT
  i32.add
  end_function
