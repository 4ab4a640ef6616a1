;;! args: --no-entry --export=run
;;! expect-error: WASM_SEGMENT_INFO: segment '.data.answer' at 0x
;;! expect-error: alignment 2^86 is too large
;;! differs-from-wasm-ld: status -- wasm-ld takes any WASM_SEGMENT_INFO alignment and computes it as `1ULL << p2align`, undefined behaviour in C++ for a shift of 64 or more (x86-64 wraps the count, so rust-lld aligns this segment to 2^22 and links a valid module; from 2^32 to 2^63 it writes a memory too large to validate); touchstone-ld refuses any alignment above 2^31, naming the segment, rather than imitate an undefined result
;;! reference-outcome: valid
;; Found by the bad-input campaign (ci/badinput, seed 2026, case 298: random bytes in the
;; `linking` section of Lua's lauxlib.o).
(module
  (func $run (export "run") (result i32)
    i32.const 0 (@addr $answer)
    i32.load)
  (data $answer (@segment p2align=86) "\2a\00\00\00"))
