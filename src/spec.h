/* spec.h: revision specifiers (the table of retort(1), REVISION SPECIFIERS). */
#ifndef RT_SPEC_H
#define RT_SPEC_H

#include <stdbool.h>
#include <stdint.h>

#include "graph.h"

struct spec_ctx {
	const struct graph *g;
	/* The database's current heads as graph indices; have_db false when
	 * no database is involved, which makes `current` and relative steps
	 * from the current revision an error that says a database is needed. */
	const uint32_t *current;
	uint32_t ncurrent;
	bool have_db;
};

/* A set of revisions; n == 0 means `base` (nothing applied). */
struct revset {
	uint32_t *v;   /* malloc'd, ascending; free with revset_free */
	uint32_t n;
	/* LABEL@base: the target lies just below these revisions, which a
	 * downgrade reverts too. */
	bool below;
	/* LABEL@-N: the revisions the downgrade reverts from (the last step
	 * walked), so that other branches off the target stay; NULL else. */
	uint32_t *roots;
	uint32_t nroots;
};
void revset_free(struct revset *r);

/* Resolves one specifier. Errors are RT_EINPUT with the messages retort(1)
 * shows (unknown revision, ambiguous prefix listing candidates, multiple
 * heads, ambiguous walk). */
int spec_resolve(const struct spec_ctx *c, const char *spec,
                 struct revset *out, char **err);

/* A range A:B (A: and :B allowed, and a single spec meaning that one
 * revision). A missing side leaves has_from / has_to false. */
int spec_range(const struct spec_ctx *c, const char *range,
               struct revset *from, bool *has_from,
               struct revset *to, bool *has_to, char **err);

/* Sets in out (initialised over the graph's revisions) every revision of
 * the range A:B: A's descendants that are B's ancestors, both included;
 * A: every descendant of A, :B every ancestor of B; a single spec, that
 * revision. A range whose start is not below its end is an RT_EINPUT
 * error, not an empty set. */
struct bitset;
int spec_range_set(const struct spec_ctx *c, const char *range, struct bitset *out,
                   char **err);

/* Whether spec (or a range) may need the database's current revision:
 * `current`, or a step relative to it (+N, -N, LABEL@+N, LABEL@-N). */
bool spec_mentions_current(const char *spec);

#endif
