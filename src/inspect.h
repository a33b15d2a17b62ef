/* inspect.h: questions about a database's state that several faces ask
 * (check, the console): what is applied, which applied scripts changed
 * since they were applied. */
#ifndef RT_INSPECT_H
#define RT_INSPECT_H

#include <stdint.h>

#include "db.h"
#include "graph.h"
#include "util.h"

/* The checksum recorded when rev was last applied, stamped or repaired
 * successfully, or NULL (rows oldest first, as history_read returns them;
 * the result points into rows). */
const char *inspect_recorded_checksum(const struct history_row *rows, uint32_t n,
                                      const char *rev);

/* Sets the bits of every applied revision: the ancestors (dependencies
 * included) of the version table's rows that scripts define. */
void inspect_applied(const struct graph *g, char *const *heads, uint32_t n,
                     struct bitset *applied);

/* Appends to *changed the applied revisions whose file's SHA-256 differs
 * from the one the ledger recorded. */
int inspect_changed(struct db *db, const struct graph *g, char *const *heads,
                    uint32_t n, struct u32vec *changed, char **err);

#endif
