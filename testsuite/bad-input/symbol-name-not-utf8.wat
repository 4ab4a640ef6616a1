;;! args: --no-entry --export=run
;;! expect-error: WASM_SYMBOL_TABLE: symbol 1
;;! expect-error: name: malformed UTF-8 encoding
;;! differs-from-wasm-ld: status -- LLVM's object reader takes a symbol name as bytes, so wasm-ld links a data symbol whose name is not UTF-8 (nothing writes that name into the output); touchstone-ld holds symbol names as strings, as the tool conventions and WebAssembly's own names (exports, imports, the name section, all UTF-8 in the core spec) are, and refuses a name that is not one, naming the symbol
;;! reference-outcome: valid
;; Found by the bad-input campaign (ci/badinput, seed 2026, cases 344 and 370: bit flips and
;; random bytes in the symbol tables of harfbuzz objects). The poke turns the first byte of
;; the data symbol name `answer` (byte 105 of the object, in WASM_SYMBOL_TABLE) into 0xff.
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $answer)
    i32.load)
  (data $answer (@segment align=4) "\2a\00\00\00")
  (@poke 105 "\ff"))
