/* sqlite_driver.c: a small SQLite host for the real-program tests (tests/real_programs.rs).
 * Reads SQL from stdin, runs it against an in-memory database statement by statement and prints
 * every result row as `col=value|col=value`, so that the output pins down what the linked
 * SQLite computed. Exits 0 on success, 1 after printing the first error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite3.h"

static char *read_all(FILE *in, size_t *len) {
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  if (!buf) return NULL;
  for (;;) {
    if (n + 1 >= cap) {
      char *grown = realloc(buf, cap * 2);
      if (!grown) { free(buf); return NULL; }
      buf = grown;
      cap *= 2;
    }
    size_t got = fread(buf + n, 1, cap - n - 1, in);
    if (got == 0) break;
    n += got;
  }
  buf[n] = '\0';
  *len = n;
  return buf;
}

static int print_row(void *counter, int ncols, char **values, char **names) {
  int i;
  ++*(long *)counter;
  for (i = 0; i < ncols; i++) {
    printf("%s%s=%s", i ? "|" : "", names[i], values[i] ? values[i] : "NULL");
  }
  printf("\n");
  return 0;
}

int main(void) {
  size_t len = 0;
  char *sql = read_all(stdin, &len);
  sqlite3 *db = NULL;
  char *err = NULL;
  long rows = 0;
  if (!sql) { printf("error: cannot read stdin\n"); return 1; }
  printf("sqlite %s\n", sqlite3_libversion());
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
    printf("error: open: %s\n", db ? sqlite3_errmsg(db) : "out of memory");
    return 1;
  }
  if (sqlite3_exec(db, sql, print_row, &rows, &err) != SQLITE_OK) {
    printf("error: %s\n", err ? err : "unknown");
    sqlite3_free(err);
    sqlite3_close(db);
    return 1;
  }
  printf("rows printed: %ld, total changes: %d\n", rows, sqlite3_total_changes(db));
  sqlite3_close(db);
  free(sql);
  return 0;
}
