/* lua_host.c: a small Lua 5.4 host for the real-program tests (tests/real_programs.rs); the
 * lua-src crate ships no lua.c. Reads a Lua chunk from stdin, runs it with the standard
 * libraries that make sense under WASI, and exits with the chunk's integer result (0 when it
 * returns nothing). Errors are printed and give exit status 1. */
#include <stdio.h>
#include <stdlib.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

static char *read_all(FILE *in, size_t *len) {
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  if (!buf) return NULL;
  for (;;) {
    if (n == cap) {
      char *grown = realloc(buf, cap * 2);
      if (!grown) { free(buf); return NULL; }
      buf = grown;
      cap *= 2;
    }
    size_t got = fread(buf + n, 1, cap - n, in);
    if (got == 0) break;
    n += got;
  }
  *len = n;
  return buf;
}

int main(void) {
  size_t len = 0;
  char *chunk = read_all(stdin, &len);
  lua_State *L;
  int status = 0;
  if (!chunk) { printf("error: cannot read stdin\n"); return 1; }
  L = luaL_newstate();
  if (!L) { printf("error: cannot create state\n"); return 1; }
  luaL_openlibs(L);
  if (luaL_loadbuffer(L, chunk, len, "=stdin") != LUA_OK ||
      lua_pcall(L, 0, 1, 0) != LUA_OK) {
    printf("error: %s\n", lua_tostring(L, -1));
    status = 1;
  } else if (lua_isinteger(L, -1)) {
    status = (int)lua_tointeger(L, -1);
  }
  lua_close(L);
  free(chunk);
  fflush(stdout);
  return status;
}
