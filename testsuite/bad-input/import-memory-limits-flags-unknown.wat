;;! args: --no-entry --export=run
;;! expect-error: import section: invalid memory limits flags
;;! differs-from-wasm-ld: status -- LLVM's object reader looks only at the limits flags it knows (has a maximum, shared, 64-bit) and ignores the others, and wasm-ld writes a memory of its own, so it links an object whose `env.__linear_memory` import has the unknown flag 0x10; touchstone-ld reads the import section with wasmparser, which holds it to the core spec (unknown limits flags are malformed) and refuses it, naming the section and the offset
;;! reference-outcome: valid
;; Found by `touchstone fuzz --corrupt-one-in` (seed 23, cases 1119 and 1279: a bit flip in
;; the memory import's limits flags). The poke sets the flags byte of the `__linear_memory`
;; import (byte 39 of the object) from 0 to 0x10.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $answer)
    i32.load)
  (data $answer (@segment align=4) "\2a\00\00\00")
  (@poke 39 "\10"))
