;;! archive-no-index: libx.a = answer.wat unused.wat
;;! args: --no-entry --export=run
;;! run: call run -> 42
;;! differs-from-wasm-ld: status -- wasm-ld parses every member of an archive when it loads it (LLVM's object reader reads the whole object to list its symbols) and refuses the corrupt one, though the link does not use it; touchstone-ld reads no more of a member nothing extracts than its symbol table (for speed on large libraries such as libc.a; ELF linkers read no more than the archive index), so a broken member the link does not use cannot stop it
;;! reference-outcome: error invalid opcode in init_expr: 2
;; Found by the bad-input campaign (ci/badinput, seed 2026, case 289: a bit flip in a
;; libc.a member, `sincos.o`, that the program does not use). main.wat needs only `answer`,
;; from answer.o; unused.o's global initializer is broken (see unused.wat). The archive has no
;; symbol index, which llvm-ar cannot build over a member it cannot read; neither linker
;; needs one (touchstone-ld reads each member's own symbol table, wasm-ld parses them all).
(module
  (import "env" "answer" (func $answer (result i32)))
  (func $run (export "run") (result i32)
    call $answer))
