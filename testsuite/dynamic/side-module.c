//! cflags: -fPIC -fvisibility=default -O1
//! args: -shared --experimental-pic --unresolved-symbols=import-dynamic
/* A small side module: clang-19 --target=wasm32-wasi -fPIC -fvisibility=default -O1 -c */
extern int ext_counter;
extern void ext_log(const char *);
int table[3] = {1, 2, 3};
int *tp = &table[1];
static void helper(void) { ext_log("helper"); }
void (*fp)(void) = helper;
const char *msg = "hello";
__attribute__((weak)) int weakdef(void) { return 7; }
__attribute__((constructor)) static void init(void) { ext_counter++; }
int get(int i) { fp(); return table[i] + ext_counter + weakdef(); }
void *addr_of_ext(void) { return (void *)ext_log; }
