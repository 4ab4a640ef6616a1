/* The main module for tests/dynamic_linking.rs: libc linked in statically (Debian's
 * wasi-libc is not built with -fPIC), the side module's functions and data used through
 * the GOT. */
#include <stdio.h>

extern int counter;
extern int bump(void);
extern const char *greet(void);
extern int was_init(void);
extern int call_fp(void);

int main(void) {
    int b = bump();
    printf("%s %d %d %d %d\n", greet(), b, counter, was_init(), call_fp());
    return 0;
}
