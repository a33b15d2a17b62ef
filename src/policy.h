/* policy.h: production mode (`production = true` in retort.ini), one policy
 * for every face: which plans need the database's name typed before they
 * run, and the lint findings that every confirmation shows first.
 *
 * The engine decides; the faces ask. The command line (upgrade, downgrade,
 * stamp, rollback, and so the shell and the console's `:` line, which run
 * the same commands) asks on a terminal and, off one, wants
 * `--yes --confirm-database NAME`; the console asks in a dialog. */
#ifndef RT_POLICY_H
#define RT_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "ini.h"
#include "graph.h"
#include "lint.h"
#include "plan.h"
#include "sqllex.h"
#include "util.h"

/* Why a plan needs the database's name (bits; 0: it does not). */
enum {
	POLICY_DOWNGRADE = 1 << 0,  /* it reverts revisions */
	POLICY_STAMP_BACK = 1 << 1, /* a stamp moves a head backwards */
	POLICY_STAMP_DROP = 1 << 2, /* a stamp drops a head (no descendant of
	                               it stays in the version table) */
	POLICY_PURGE = 1 << 3,      /* stamp --purge empties the version table */
	POLICY_DATA_LOSS = 1 << 4,  /* a data-loss lint finding in what runs */
	POLICY_RESOLVE = 1 << 5,    /* resolve records by hand how an interrupted
	                               step was settled */
};

/* The lint findings of the sections the plan runs: the upgrade sections of
 * an upgrade, the downgrade sections of a downgrade (data loss there an
 * error), none for a stamp; the ancestors of the plan's revisions are read
 * to learn the schema. Worst first, then in the plan's order, then by
 * line. out: initialised by the caller, who frees it. RT_EINPUT when a
 * script cannot be read again. */
int policy_findings(const struct graph *g, const struct plan *p, enum sql_dialect dialect,
                    struct lint_findings *out, char **err);

/* Whether any finding is of a data-loss rule. */
bool policy_data_loss(const struct lint_findings *f);

/* What makes the plan need the database's name typed under cfg: 0 when
 * production mode is off, or for a plan that changes nothing, or that only
 * moves forward and loses no data. f: the plan's findings (policy_findings),
 * or NULL when they were not read (data loss then does not count). */
unsigned policy_check(const struct config *cfg, const struct graph *g,
                      const struct plan *p, const struct lint_findings *f);

/* The reasons in words: "a downgrade and a data-loss finding". */
void policy_describe(unsigned reasons, struct strbuf *out);

/* Whether typed, a line as read (one trailing newline ignored), is the
 * database's name exactly. */
bool policy_name_ok(const char *typed, const char *dbname);
/* Whether dbname is one of the comma-separated names of list
 * (--confirm-database: a fleet run names each of its targets' databases). */
bool policy_names_ok(const char *list, const char *dbname);

#endif
