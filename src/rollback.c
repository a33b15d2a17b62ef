/* rollback.c: see rollback.h. */
#include "rollback.h"

#include <stdlib.h>
#include <string.h>

#include "policy.h"

void rollback_free(struct rollback *r)
{
	if (!r)
		return;
	plan_free(r->plan);
	run_expect_free(r->expect);
	lint_findings_free(&r->findings);
	free(r->stakes);
	arena_free(&r->arena);
	free(r);
}

bool rollback_step_destructive(const struct rollback *r, uint32_t i)
{
	for (uint32_t k = 0; k < r->nstakes; k++)
		if (r->stakes[k].step == i)
			return true;
	const char *id = r->plan->steps[i].rev_id;
	for (uint32_t k = 0; k < r->findings.n; k++)
		if (lint_rules[r->findings.v[k].rule].data_loss && r->findings.v[k].revision &&
		    strcmp(r->findings.v[k].revision, id) == 0)
			return true;
	return false;
}

void rollback_stake_words(const struct rollback_stake *s, struct strbuf *out)
{
	if (s->rows < 0) {
		sb_addf(out, "not counted: %.*s", (int)strcspn(s->why ? s->why : "", "\n"),
		        s->why ? s->why : "");
		return;
	}
	sb_addf(out, "%s%lld row%s%s", s->estimate ? "about " : "", (long long)s->rows,
	        s->rows == 1 ? "" : "s", s->estimate ? " (an estimate: the exact count took "
	        "too long)" : "");
	if (s->column && s->values >= 0)
		sb_addf(out, ", %lld non-NULL value%s in %s", (long long)s->values,
		        s->values == 1 ? "" : "s", s->column);
	if (s->created && s->rows > 0)
		sb_addf(out, ", all written since the table was created by this revision%s%s",
		        s->applied_at ? ", applied " : "", s->applied_at ? s->applied_at : "");
}

/* The step of the plan that reverts revision id, or UINT32_MAX. */
static uint32_t step_of(const struct plan *p, const char *id)
{
	for (uint32_t i = 0; id && i < p->n; i++)
		if (p->steps[i].rev_id && strcmp(p->steps[i].rev_id, id) == 0)
			return i;
	return UINT32_MAX;
}

static int64_t cell_int(const struct db_rows *rows, int col)
{
	const char *v = rows->nrows ? db_cell(rows, 0, col) : NULL;
	return v ? strtoll(v, NULL, 10) : -1;
}

/* PostgreSQL's idea of the table's rows, when the exact count took too
 * long: pg_class.reltuples (-1 when the table was never analysed). */
static bool estimate(struct db *db, struct rollback *r, struct rollback_stake *s,
                     const char *count_err)
{
	const char *args[] = {s->table};
	struct db_rows rows = {0};
	char *err = NULL;
	bool ok = db_select(db, "SELECT reltuples::bigint FROM pg_class "
	                    "WHERE oid = to_regclass($1)", args, 1, &rows, &err) == RT_OK &&
	          rows.nrows == 1 && cell_int(&rows, 0) >= 0;
	if (ok) {
		s->rows = cell_int(&rows, 0);
		s->estimate = true;
		s->why = arena_strdup(&r->arena, count_err);
	}
	db_rows_free(&rows);
	free(err);
	return ok;
}

/* Counts the rows of the stake's table (and a column's values), exactly:
 * on PostgreSQL within count_seconds, else the estimate. */
static void count(struct db *db, const struct rollback_opts *o, struct rollback *r,
                  struct rollback_stake *s)
{
	char *sql = s->column ? xasprintf("SELECT count(*), count(%s) FROM %s", s->column, s->table)
	                      : xasprintf("SELECT count(*) FROM %s", s->table);
	struct db_rows rows = {0};
	char *err = NULL;
	bool pg = o->dialect == SQL_POSTGRES;
	bool limited = pg && o->count_seconds > 0 && db->ops->set_statement_timeout &&
	               db->ops->set_statement_timeout(db, o->count_seconds, &err) == RT_OK;
	free(err);
	err = NULL;
	if (db_select(db, sql, NULL, 0, &rows, &err) == RT_OK && rows.nrows == 1) {
		s->rows = cell_int(&rows, 0);
		if (s->column)
			s->values = cell_int(&rows, 1);
	} else if (!(pg && estimate(db, r, s, err ? err : "the count failed"))) {
		s->why = arena_strdup(&r->arena, err ? err : "the count returned no row");
	}
	if (limited) {
		char *e = NULL;
		db->ops->set_statement_timeout(db, o->restore_seconds, &e);
		free(e);
	}
	db_rows_free(&rows);
	free(err);
	free(sql);
}

/* When the ledger says revision id was last applied (its last successful
 * upgrade row), or NULL. */
static const char *applied_at(struct db *db, struct rollback *r, const char *id)
{
	struct history_row *rows = NULL;
	uint32_t n = 0;
	char *err = NULL;
	const char *at = NULL;
	if (db->ops->history_read(db, id, &rows, &n, &err) == RT_OK)
		for (uint32_t i = n; i-- > 0 && !at;)
			if (history_dir(&rows[i]) == HISTORY_UPGRADE &&
			    history_outcome(&rows[i]) == HISTORY_OK && rows[i].started_at)
				at = arena_strdup(&r->arena, rows[i].started_at);
	db_history_free(rows, n);
	free(err);
	return at;
}

/* One stake per table (or column) of every data-loss finding. */
static void stakes(struct db *db, const struct rollback_opts *o, struct rollback *r)
{
	uint32_t cap = 0;
	for (uint32_t k = 0; k < r->findings.n; k++) {
		const struct lint_finding *f = &r->findings.v[k];
		if (!lint_rules[f->rule].data_loss || f->section != SCRIPT_DOWNGRADE)
			continue;
		uint32_t step = step_of(r->plan, f->revision);
		for (uint32_t t = 0; t < f->ntables; t++) {
			if (r->nstakes == cap) {
				cap = cap ? 2 * cap : 8;
				r->stakes = xrealloc(r->stakes, cap * sizeof(*r->stakes));
			}
			struct rollback_stake *s = &r->stakes[r->nstakes++];
			*s = (struct rollback_stake){
				.step = step, .finding = k, .table = arena_strdup(&r->arena, f->tables[t]),
				.column = f->column ? arena_strdup(&r->arena, f->column) : NULL,
				.rows = -1, .values = -1,
				.created = f->own && !f->column && f->rule == LINT_DROP_TABLE,
			};
			count(db, o, r, s);
			if (s->created)
				s->applied_at = applied_at(db, r, f->revision);
		}
	}
	for (uint32_t i = 0; i < r->plan->n; i++)
		r->destructive_steps += rollback_step_destructive(r, i);
}

enum rt_status rollback_propose(struct db *db, const struct graph *g, const struct config *cfg,
                                const struct rollback_opts *o, struct rollback **out,
                                char **err)
{
	struct rollback *r = xcalloc(1, sizeof(*r));
	arena_init(&r->arena);
	lint_findings_init(&r->findings);
	r->target = arena_strdup(&r->arena, o->target);
	char **heads = NULL;
	uint32_t n = 0;
	int rc = db->ops->read_heads(db, &heads, &n, err);
	if (rc == RT_OK) {
		r->heads = arena_alloc(&r->arena, (n ? n : 1) * sizeof(*r->heads));
		for (uint32_t i = 0; i < n; i++)
			r->heads[r->nheads++] = arena_strdup(&r->arena, heads[i]);
		rc = o->build(o->build_ctx, (const char *const *)heads, n, &r->plan, err);
	}
	db_strv_free(heads, n);
	/* What is shown is what the rehearsal and the run may execute: the
	 * same steps, each script with the checksum it has now. */
	if (rc == RT_OK && r->plan->n > 0)
		rc = run_expect_make(g, r->plan, &r->expect, err);
	if (rc == RT_OK && r->plan->n > 0)
		rc = policy_findings(g, r->plan, o->dialect, &r->findings, err);
	if (rc == RT_OK && r->plan->n > 0) {
		r->reasons = policy_check(cfg, g, r->plan, &r->findings);
		stakes(db, o, r);
	}
	if (rc != RT_OK) {
		rollback_free(r);
		return rc;
	}
	*out = r;
	return RT_OK;
}
