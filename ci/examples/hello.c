/* hello.c: the bundled hello world of issue 2: clang-19's driver builds it for wasm32-wasi and
 * links it with `-fuse-ld=<touchstone-ld>`; it must print what the wasm-ld build prints.
 * tests/real_programs.rs builds and runs it with every linker. */
#include <stdio.h>

int main(int argc, char **argv) {
  printf("Hello, world!\n");
  printf("argc=%d\n", argc);
  return 0;
}
