#! args: -shared -Bsymbolic --experimental-pic --unresolved-symbols=import-dynamic
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
