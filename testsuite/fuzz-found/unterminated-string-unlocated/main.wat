;;! object: o1-corrupted.hex run.wat
;;! args: --no-entry --export=run o1-corrupted.hex run.wat
;;! expect-error: o1-corrupted.o
;;! expect-error: (.rodata.str1.1)
;;! expect-error: string is not null terminated
;; Found by the `mutate` fuzz target: the error for a STRINGS segment whose last string has no
;; NUL named only the output segment (`.rodata: string is not null terminated`), not the
;; input. o1-corrupted.hex is o1.wat assembled with bit 4 of byte 0x36 flipped (the "xyz\00"
;; string's NUL becomes 0x10). wasm-ld says `o1-corrupted.o:(.rodata.str1.1): string is not
;; null terminated`; touchstone-ld names the file, the segment's index and its name.
(module)
