;;! args: --no-entry --export=run
;;! expect-error: custom section 'reloc.CODE': entry 0: R_WASM_FUNCTION_INDEX_LEB at offset 0x6 runs past the end of function body 0
;;! differs-from-wasm-ld: status -- touchstone-ld checks every relocation of an object when it reads it, and one that runs past the end of its function body is corrupt whether or not the link keeps the function; wasm-ld applies only the relocations of the functions it keeps, so it links this object into a valid module because --gc-sections drops the broken function (when the function is kept it writes an invalid module: fuzz-found/reloc-site-past-chunk-end)
;;! reference-outcome: valid
;; Found by `touchstone fuzz --corrupt-one-in` (seed 11, case 1265: a relocation offset set to
;; 9, 5 bytes before the end of a function nothing calls). Here the poke sets the offset of
;; `call $run`'s FUNCTION_INDEX_LEB in $dead (byte 117 of the object, in reloc.CODE) from 4 to
;; 6: its 5 bytes, 6..11, run past the end of $dead's body (1..10) into $run's. Nothing
;; exports or calls $dead.
(module
  (func $dead (result i32)
    call $run)
  (func $run (export "run") (result i32)
    i32.const 42)
  (@poke 117 "\06"))
