/* inspect.h: questions about a database's state that several faces ask
 * (check, status, the console, the runner): what is applied, which applied
 * scripts changed since they were applied, which `Transaction: none` steps
 * were left half done. */
#ifndef RT_INSPECT_H
#define RT_INSPECT_H

#include <stdint.h>

#include "db.h"
#include "graph.h"
#include "util.h"

/* The checksum recorded when rev was last applied, stamped, repaired or
 * resolved as applied, or NULL (rows oldest first, as history_read returns
 * them; the result points into rows). */
const char *inspect_recorded_checksum(const struct history_row *rows, uint32_t n,
                                      const char *rev);
/* The row that last applied rev (an ok upgrade or stamp, a resolve as
 * applied), NULL when none did or it was reverted since. Into rows. */
const struct history_row *inspect_last_applied(const struct history_row *rows, uint32_t n,
                                               const char *rev);
/* Both for every revision of g in one pass over the ledger: sums[r] and
 * by[r] (arrays of g->n, either may be NULL), pointers into rows. */
void inspect_ledger_index(const struct graph *g, const struct history_row *rows, uint32_t n,
                          const char **sums, const struct history_row **by);

/* Sets the bits of every applied revision: the ancestors (dependencies
 * included) of the version table's rows that scripts define. */
void inspect_applied(const struct graph *g, char *const *heads, uint32_t n,
                     struct bitset *applied);

/* Appends to *changed the applied revisions whose file's SHA-256 differs
 * from the one the ledger recorded. */
int inspect_changed(struct db *db, const struct graph *g, char *const *heads,
                    uint32_t n, struct u32vec *changed, char **err);

/* ---- Transaction: none steps left half done ---- */

enum inspect_open_state {
	OPEN_RUNNING,      /* started, and its process may still be at work */
	OPEN_INTERRUPTED,  /* started, and no process is at work on it any more */
	OPEN_FAILED,       /* failed after some of its statements had run */
};

struct inspect_open {
	const struct history_row *row;  /* its ledger row (in inspect_opens.rows) */
	enum inspect_open_state state;
	int32_t rev;                    /* graph index; -1 when no script defines it */
	const char *path;               /* the script, or NULL (borrowed from the graph) */
	/* The statement after the last one known to have run (the one that
	 * may have run in part), 0 when there is none or the file cannot
	 * tell: it is gone, or changed since the step ran (changed). */
	uint32_t next_line;
	bool changed;
};

struct inspect_opens {
	struct history_row *rows;       /* owned */
	uint32_t nrows;
	struct inspect_open *v;         /* owned */
	uint32_t n;
	uint32_t blocking;              /* those not OPEN_RUNNING */
};

/* The steps the ledger shows half done (db_ops.history_open), each with
 * whether its process is still at work: never when locked (the caller
 * holds the migration lock, which that process held until it ended); else
 * not when nobody holds the lock (the row is read again to be sure it was
 * not completed meanwhile); else, on the same host, when the process
 * exists; on another, unless the holder the lock names is another retort.
 * g may be NULL. Free with inspect_opens_free. */
int inspect_open_steps(struct db *db, const struct graph *g, bool locked,
                       struct inspect_opens *out, char **err);
void inspect_opens_free(struct inspect_opens *o);
/* The open step of revision rev (an id), or NULL. */
const struct inspect_open *inspect_opens_find(const struct inspect_opens *o,
                                              const char *rev);

/* What happened to the step, as a few sentences without a final newline:
 * its revision and direction, when, by which process on which host, the
 * last statement known to have run (FILE:LINE) and the one that may have
 * run in part. */
void inspect_open_describe(const struct inspect_open *o, struct strbuf *sb);
/* The way out of a blocking step: finish or undo it by hand, then
 * `retort resolve REV --applied|--reverted`, or `retort repair REV`. */
void inspect_open_way_out(const struct inspect_open *o, struct strbuf *sb);
/* A short line for a status bar or a table cell, e.g. "interrupted
 * upgrade, last line 8". */
void inspect_open_brief(const struct inspect_open *o, struct strbuf *sb);

#endif
