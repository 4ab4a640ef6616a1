#! args: -mwasm64 -shared --experimental-pic
#! expect-error: undefined symbol: __table_base32
# Older wasm-ld imported `env.__table_base32` (an i32 copy of the 64-bit `__table_base`) in
# wasm64 PIC links; wasm-ld 22 no longer makes it (checked with rust-lld 22), so a reference to
# it is an undefined global like any other, and the link fails.
.globaltype __table_base32, i32, immutable
.globl get
get:
  .functype get () -> (i32)
  global.get __table_base32
  end_function
