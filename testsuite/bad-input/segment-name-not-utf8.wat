;;! args: --no-entry --export=run
;;! expect-error: WASM_SEGMENT_INFO: at 0x
;;! expect-error: segment name: malformed UTF-8 encoding
;;! differs-from-wasm-ld: status -- LLVM's object reader takes a data segment name as bytes, so wasm-ld links an object whose WASM_SEGMENT_INFO name is not UTF-8 (and writes the name into the output's name section, which validation does not read); touchstone-ld holds segment names as strings, as the tool conventions and WebAssembly's own names (the name section's data segment names among them, UTF-8 in the core spec) are, and refuses a name that is not one, naming the subsection and the offset
;;! reference-outcome: valid
;; Found by `touchstone fuzz --corrupt-one-in` (seed 11, case 1223). The poke turns the first
;; byte of the segment name `.data.answer` (byte 118 of the object, in WASM_SEGMENT_INFO) into
;; 0xff.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $answer)
    i32.load)
  (data $answer (@segment align=4) "\2a\00\00\00")
  (@poke 118 "\ff"))
