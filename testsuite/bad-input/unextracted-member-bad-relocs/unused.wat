;; A member nothing in the link needs, with a broken `reloc.CODE`: the poke sets the relocation
;; count (byte 123 of the object) from 1 to 0, so the one entry is left over after the count's
;; entries (LLVM: "reloc section ended prematurely").
(module
  (func $unused (export "unused") (result i32)
    call $helper)
  (func $helper (result i32)
    i32.const 7)
  (@poke 123 "\00"))
