/* rollback.h: the guided rollback's proposal (retort(1) `rollback`, the
 * console's R): what will be reverted, what it destroys and how much data
 * that is, as a value. The command line renders it as text or JSON, the
 * console as dialogs; both then hand its fingerprint to run_locked, which
 * refuses to run a plan other than the one shown. Nothing here prints or
 * reads a terminal. */
#ifndef RT_ROLLBACK_H
#define RT_ROLLBACK_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "graph.h"
#include "ini.h"
#include "lint.h"
#include "plan.h"
#include "run.h"

/* The data a destructive statement of the downgrade takes with it: one
 * table (or one of its columns) named by a data-loss finding. */
struct rollback_stake {
	uint32_t step;             /* the plan's step whose downgrade runs it */
	uint32_t finding;          /* its finding in the proposal's findings */
	const char *table;         /* as the script names it (owned by the arena) */
	const char *column;        /* the column that goes, or NULL for rows */
	int64_t rows;              /* the table's rows now; -1: not counted */
	int64_t values;            /* a column's non-NULL values; -1 otherwise */
	/* rows is PostgreSQL's estimate (pg_class.reltuples): the exact count
	 * did not finish within the time limit. */
	bool estimate;
	const char *why;           /* why rows is -1 or an estimate, or NULL */
	/* The table was created by the revision this step reverts: every row
	 * in it was written since that revision was applied, at applied_at
	 * (the ledger's time, NULL when the ledger has no such row). */
	bool created;
	const char *applied_at;
};

struct rollback {
	const char *target;        /* what the rollback goes back to, as given */
	const char **heads;        /* the version table when it was proposed */
	uint32_t nheads;
	struct plan *plan;         /* the downgrade; n == 0: nothing to roll back */
	struct run_expect *expect; /* its fingerprint (NULL when plan->n == 0) */
	struct lint_findings findings;  /* worst first (policy_findings) */
	unsigned reasons;          /* what production mode asks the name for */
	struct rollback_stake *stakes;
	uint32_t nstakes;
	uint32_t destructive_steps;  /* steps with a data-loss finding */
	struct arena arena;        /* owns the strings above */
};

struct rollback_opts {
	const char *target;        /* shown as the target (borrowed) */
	run_plan_fn build;         /* builds the downgrade from the heads */
	void *build_ctx;
	enum sql_dialect dialect;
	/* How long one exact count may take (PostgreSQL; SQLite counts
	 * exactly), and the statement timeout to put back afterwards (0: no
	 * limit). */
	double count_seconds, restore_seconds;
};

/* Reads the version table, builds the plan, reads each script once for
 * the fingerprint and the findings, and counts the rows at stake. A count
 * that fails is no error: its stake says why. *out: caller frees with
 * rollback_free. */
enum rt_status rollback_propose(struct db *db, const struct graph *g, const struct config *cfg,
                                const struct rollback_opts *o, struct rollback **out,
                                char **err);
void rollback_free(struct rollback *r);

/* Whether step i of the plan runs a data-loss statement. */
bool rollback_step_destructive(const struct rollback *r, uint32_t i);

/* The count of a stake in words: "1,204 rows", "about 12,000 rows
 * (estimate)", "3 rows, 2 values in the column", "not counted: …". */
void rollback_stake_words(const struct rollback_stake *s, struct strbuf *out);

#endif
