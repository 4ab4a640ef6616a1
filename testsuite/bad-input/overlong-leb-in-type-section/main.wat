;;! object: answer-padded.hex
;;! args: --no-entry --export=run
;;! expect-error: answer-padded.o: type section
;;! expect-error: integer representation too long
;;! differs-from-wasm-ld: status -- LLVM's object reader takes a LEB with any number of padding bytes, so wasm-ld links an object whose type section count is written in 6 bytes (it writes a type section of its own); touchstone-ld reads the type, import, function, table, memory, global, export, element and tag sections and init expressions with wasmparser, which holds them to the core spec (a u32 in at most 5 bytes) and refuses the object, naming the section and the offset. Where touchstone-ld reads the object itself (section sizes, the code and data sections' framing, `linking`, `reloc.*`) it takes padded LEBs as LLVM does
;;! reference-outcome: valid
;; Found by `touchstone fuzz --corrupt-one-in` (an overlong LEB in a section's count).
;; answer-padded.hex defines `answer` (see its comments).
(module
  (import "env" "answer" (func $answer (result i32)))
  (func $run (export "run") (result i32)
    call $answer))
