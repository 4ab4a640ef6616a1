#! args: -shared --experimental-pic --emit-relocs -Bsymbolic --unresolved-symbols=import-dynamic
# --emit-relocs with -shared: the symbol table lists the imported bases and __wasm_call_ctors.
.globl foo
foo:
  .functype foo () -> ()
  end_function
.globl get
get:
  .functype get () -> (i32)
  global.get foo@GOT
  global.get ext@GOT
  i32.add
  global.get __dso_handle@GOT
  i32.add
  end_function
.section .custom_section.target_features,"",@
.int8 1
.int8 43
.int8 15
.ascii "mutable-globals"
