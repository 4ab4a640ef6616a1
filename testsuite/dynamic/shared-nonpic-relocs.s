#! args: -shared --experimental-pic
#! expect-error: relocation R_WASM_MEMORY_ADDR_SLEB cannot be used against symbol `local_data`; recompile with -fPIC
#! expect-error: undefined symbol: ext_data
# Non-PIC relocation types in a -shared/-pie link: each gives "recompile with -fPIC".
.functype ext_func () -> ()
.globl get_data
get_data:
  .functype get_data () -> (i32)
  i32.const local_data          # R_WASM_MEMORY_ADDR_SLEB, defined target
  i32.load ext_data             # R_WASM_MEMORY_ADDR_LEB, undefined target
  end_function
.globl get_func
get_func:
  .functype get_func () -> (i32)
  i32.const get_data             # R_WASM_TABLE_INDEX_SLEB, defined target
  end_function
.section .data.local_data,"",@
local_data:
  .int32 0
  .size local_data, 4
