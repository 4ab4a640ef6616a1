;;! args: --no-entry --export=run
;;! expect-error: import section: invalid value type
;;! differs-from-wasm-ld: status -- LLVM's object reader takes a global import's value type as a raw byte, so wasm-ld links an object with a global import of type 0x00 that nothing uses (and writes no import for it); touchstone-ld reads the import section with wasmparser, which holds it to the core spec (0x00 is no value type) and refuses it, naming the section and the offset
;;! reference-outcome: valid
;; Found by `touchstone fuzz --corrupt-one-in` (seed 23, case 722: a bit flip that turns the
;; memory import into a global import). The poke sets the kind byte of the `__linear_memory`
;; import (byte 38 of the object) from 2 (memory) to 3 (global): its limits bytes, 0 and 0,
;; become the global's value type 0x00 and mutability 0.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $answer)
    i32.load)
  (data $answer (@segment align=4) "\2a\00\00\00")
  (@poke 38 "\03"))
