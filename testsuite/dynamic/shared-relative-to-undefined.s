#! args: -shared --experimental-pic --unresolved-symbols=import-dynamic
#! expect-error: relocation R_WASM_MEMORY_ADDR_REL_SLEB is not supported against an undefined symbol `ext`
# A base-relative address (@MBREL) needs a definition in the module itself.
.globaltype __memory_base, i32, immutable
.globl get
get:
  .functype get () -> (i32)
  global.get __memory_base
  i32.const ext@MBREL
  i32.add
  end_function
