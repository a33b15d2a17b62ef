/* plan.h: from (graph, current heads, target) to ordered steps.
 *
 * A plan is a value: everything that shows what will happen (--dry-run,
 * --sql, the console's preview, the rollback wizard) renders the plan that
 * run.c then executes. */
#ifndef RT_PLAN_H
#define RT_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "graph.h"
#include "spec.h"

/* X(name, word, title, done): the command and ledger word, a title's
 * form, and what a finished one is called. */
#define PLAN_KIND_LIST(X)                                        \
	X(PLAN_UPGRADE, "upgrade", "Upgrade", "Upgraded")            \
	X(PLAN_DOWNGRADE, "downgrade", "Downgrade", "Downgraded")    \
	X(PLAN_STAMP, "stamp", "Stamp", "Stamped")

enum plan_kind {
#define PLAN_X(name, word, title, done) name,
	PLAN_KIND_LIST(PLAN_X)
#undef PLAN_X
};

/* "upgrade", "Upgrade", "Upgraded" (static strings). */
const char *plan_kind_word(enum plan_kind k);
const char *plan_kind_title(enum plan_kind k);
const char *plan_kind_done(enum plan_kind k);
/* The section a step of kind k runs: the upgrade's for PLAN_UPGRADE, the
 * downgrade's otherwise (a stamp runs none). */
enum script_section plan_kind_section(enum plan_kind k);

#define PLAN_NO_REV UINT32_MAX

struct plan_step {
	enum plan_kind dir;
	uint32_t rev;              /* graph index; PLAN_NO_REV for `stamp base` */
	const char *rev_id;        /* the revision's id, "base" for a stamp to base */
	/* Version-table change: rows deleted, then rows inserted. */
	const char **del, **ins;
	uint32_t ndel, nins;
	/* The version table before and after, space-separated ids ("" = none). */
	const char *heads_before, *heads_after;
};

struct plan {
	enum plan_kind kind;
	bool purge;                /* stamp --purge: empty the table first */
	struct plan_step *steps;
	uint32_t n;
	const char **final_heads;  /* the version table after the whole plan */
	uint32_t nfinal;
	struct arena arena;        /* owns the strings above, except revision ids,
	                              which are borrowed from the graph */
};

/* Builds a plan. heads: the version table's rows (borrowed). For an
 * upgrade or downgrade every row must name a known revision (RT_EINPUT
 * otherwise); a downgrade through an irreversible script is RT_EFAIL
 * naming each such script. *out: caller frees with plan_free. */
enum rt_status plan_build(const struct graph *g, enum plan_kind kind,
                          const char *const *heads, uint32_t nheads,
                          const struct revset *target, bool purge,
                          struct plan **out, char **err);
void plan_free(struct plan *p);

/* Maps version-table rows to graph indices; RT_EINPUT naming the first row
 * no script defines. *out malloc'd (caller frees). */
enum rt_status plan_heads_index(const struct graph *g, const char *const *heads,
                                uint32_t nheads, uint32_t **out, char **err);

#endif
