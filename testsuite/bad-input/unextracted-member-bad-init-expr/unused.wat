;; A member nothing in the link needs, with a broken global initializer: the poke turns the
;; `i32.const` opcode (byte 50 of the object) into 0x02, which no init expression may hold
;; (LLVM: "invalid opcode in init_expr: 2").
(module
  (global $g i32 (i32.const 7))
  (func $unused (export "unused") (result i32)
    global.get $g)
  (@poke 50 "\02"))
