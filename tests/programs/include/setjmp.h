/* setjmp.h stand-in for the real-program tests: the wasi-libc we compile against has no setjmp
 * (wasm exception handling is not assumed). Lua only longjmps to raise an error; the scripts we
 * run raise none, so setjmp returns 0 once and longjmp aborts loudly if it is ever reached. */
#ifndef TOUCHSTONE_SETJMP_STUB_H
#define TOUCHSTONE_SETJMP_STUB_H
#include <stdlib.h>

typedef int jmp_buf[1];
#define setjmp(env) ((void)(env), 0)
#define _setjmp(env) setjmp(env)
static inline _Noreturn void touchstone_longjmp_abort(void) { abort(); }
#define longjmp(env, val) ((void)(env), (void)(val), touchstone_longjmp_abort())
#define _longjmp(env, val) longjmp(env, val)

#endif
