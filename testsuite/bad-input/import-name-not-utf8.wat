;;! args: --no-entry --export=run
;;! expect-error: import section: malformed UTF-8 encoding
;;! differs-from-wasm-ld: status -- LLVM's object reader takes import names as bytes, and wasm-ld writes a memory import of its own, so it links an object whose `env.__linear_memory` import field is not UTF-8; touchstone-ld reads the import section with wasmparser, which holds names to the core spec (a name is UTF-8), and refuses it, naming the section and the offset
;;! reference-outcome: valid
;; Found by `touchstone fuzz --corrupt-one-in`. The poke turns the first byte of the memory
;; import's field name `__linear_memory` (byte 23 of the object) into 0xff.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $answer)
    i32.load)
  (data $answer (@segment align=4) "\2a\00\00\00")
  (@poke 23 "\ff"))
