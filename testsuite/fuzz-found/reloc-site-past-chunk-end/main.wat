;;! archive: lib1.a = a1m0.wat
;;! object: run-corrupted.hex
;;! args: --no-entry --export=run lib1.a run-corrupted.hex
;;! expect-error: runs past the end of function body 0
;;! differs-from-wasm-ld: status -- wasm-ld 22 links it and writes the 5-byte LEB over the next function's size byte, an invalid module (wasmparser: "integer representation too long"); a reference linker refuses the input instead, naming the relocation
;; Found by the `mutate` fuzz target (it panicked touchstone-ld: a slice out of range while
;; patching). run-corrupted.hex is run.wat assembled, with the offset of the first reloc.CODE
;; entry changed to 7: a FUNCTION_INDEX_LEB whose 5 bytes start 2 bytes before the end of
;; function body 0 and run into body 1. The offset is inside the section, so the section-wide
;; check passes; the site must also end inside its own body or data segment.
(module)
