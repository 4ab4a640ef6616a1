/* A side module for tests/dynamic_linking.rs: data another module reads, a constructor, a
 * function pointer in data, and a call into libc (which the main module provides). */
#include <string.h>

int counter = 41;
int bump(void) { return ++counter; }
const char *greet(void) { return "hello from side"; }

static int init_done;
__attribute__((constructor)) static void init(void) { init_done = 1; }
int was_init(void) { return init_done; }

int (*fp)(void) = bump;
int call_fp(void) { return fp() + (int)strlen(greet()); }
