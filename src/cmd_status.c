/* cmd_status.c: the database's state in one table (status), and how an
 * interrupted `Transaction: none` step is settled (resolve). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "policy.h"
#include "db.h"
#include "inspect.h"
#include "out.h"
#include "run.h"
#include "spec.h"

/* ---- the half-done steps, for every read command ---- */

static void open_step_json(struct strbuf *sb, const struct inspect_open *o)
{
	const struct history_row *r = o->row;
	static const char *const states[] = {"running", "interrupted", "interrupted"};
	sb_adds(sb, "{\"revision\":");
	sb_add_json_str(sb, r->revision);
	sb_addf(sb, ",\"direction\":\"%s\",\"state\":\"%s\",\"failed\":%s,\"ledger_id\":%" PRId64,
	        r->direction, states[o->state], o->state == OPEN_FAILED ? "true" : "false", r->id);
	sb_adds(sb, ",\"started_at\":");
	if (r->started_at)
		sb_add_json_str(sb, r->started_at);
	else
		sb_adds(sb, "null");
	sb_addf(sb, ",\"pid\":%" PRId64 ",\"host\":", r->pid);
	sb_add_json_str(sb, r->host ? r->host : "");
	sb_adds(sb, ",\"os_user\":");
	sb_add_json_str(sb, r->os_user ? r->os_user : "");
	sb_adds(sb, ",\"file\":");
	if (o->path)
		sb_add_json_str(sb, o->path);
	else
		sb_adds(sb, "null");
	sb_addf(sb, ",\"last_ok_line\":%" PRId64 ",\"next_line\":%u,\"script_changed\":%s",
	        r->last_ok_line, o->next_line, o->changed ? "true" : "false");
	sb_addf(sb, ",\"error_line\":%" PRId64 ",\"error\":", r->error_line);
	if (o->state == OPEN_FAILED && r->error)
		sb_add_json_str(sb, r->error);
	else
		sb_adds(sb, "null");
	sb_adds(sb, ",\"description\":");
	struct strbuf d = STRBUF_INIT;
	inspect_open_describe(o, &d);
	sb_add_json_str(sb, sb_str(&d));
	sb_free(&d);
	sb_addc(sb, '}');
}

/* d with its newlines made spaces, for a one-line problem. */
static void add_one_line(struct strbuf *sb, const char *d)
{
	for (; *d; d++)
		sb_addc(sb, *d == '\n' ? ' ' : *d);
}

int cli_open_steps(struct cli_ctx *c, enum cli_open_style style, struct strbuf *sb,
                   int *count, char **err)
{
	*count = 0;
	int rc = cli_db(c, err);
	if (rc != RT_OK)
		return rc;
	struct inspect_opens o;
	rc = inspect_open_steps(c->db, c->graph, false, &o, err);
	if (rc != RT_OK)
		return rc;
	for (uint32_t i = 0; i < o.n; i++) {
		const struct inspect_open *x = &o.v[i];
		if (style == OPEN_STYLE_JSON) {
			if (*count)
				sb_addc(sb, ',');
			open_step_json(sb, x);
			(*count)++;
			continue;
		}
		if (x->state == OPEN_RUNNING && style == OPEN_STYLE_PROBLEMS)
			continue;  /* a migration at work is no problem of the database */
		(*count)++;
		struct strbuf d = STRBUF_INIT;
		if (style == OPEN_STYLE_BRIEF) {
			sb_addf(sb, "%s: ", x->row->revision);
			inspect_open_brief(x, sb);
			if (x->state == OPEN_RUNNING)
				sb_adds(sb, " (Transaction: none); see 'retort status'\n");
			else
				sb_addf(sb, " (Transaction: none): the database is between two revisions; "
				        "see 'retort status', then 'retort resolve %s --applied|--reverted'\n",
				        x->row->revision);
		} else {
			if (x->path)
				sb_addf(sb, "%s: ", x->path);
			inspect_open_describe(x, &d);
			sb_addc(&d, ' ');
			inspect_open_way_out(x, &d);
			add_one_line(sb, sb_str(&d));
			sb_addc(sb, '\n');
		}
		sb_free(&d);
	}
	inspect_opens_free(&o);
	return RT_OK;
}

/* ---- status ---- */

enum rev_state { ST_APPLIED, ST_PENDING, ST_CHANGED, ST_INTERRUPTED, ST_RUNNING,
                 ST_UNKNOWN, ST_MISSING, ST_COUNT };
static const char *const state_names[ST_COUNT] = {
	"applied", "pending", "checksum changed", "interrupted", "running", "unknown",
	"missing script",
};

struct status_row {
	const char *rev;
	const char *message;            /* NULL for a revision no script defines */
	const char *path;
	enum rev_state state;
	const struct history_row *by;   /* the row that applied it, or the open step's */
	const struct inspect_open *open;
	bool head, current;
};

static void status_row_json(struct strbuf *sb, const struct status_row *r)
{
	sb_adds(sb, "{\"revision\":");
	sb_add_json_str(sb, r->rev);
	sb_addf(sb, ",\"state\":\"%s\",\"message\":", state_names[r->state]);
	if (r->message)
		sb_add_json_str(sb, r->message);
	else
		sb_adds(sb, "null");
	sb_adds(sb, ",\"path\":");
	if (r->path)
		sb_add_json_str(sb, r->path);
	else
		sb_adds(sb, "null");
	sb_addf(sb, ",\"head\":%s,\"current\":%s", r->head ? "true" : "false",
	        r->current ? "true" : "false");
	const struct history_row *b = r->by;
	sb_adds(sb, ",\"applied_at\":");
	if (b && b->started_at && !r->open)
		sb_add_json_str(sb, b->finished_at ? b->finished_at : b->started_at);
	else
		sb_adds(sb, "null");
	sb_adds(sb, ",\"by\":");
	if (b && b->os_user) {
		char *who = xasprintf("%s@%s", b->os_user, b->host ? b->host : "?");
		sb_add_json_str(sb, who);
		free(who);
	} else {
		sb_adds(sb, "null");
	}
	sb_adds(sb, ",\"db_user\":");
	if (b && b->db_user)
		sb_add_json_str(sb, b->db_user);
	else
		sb_adds(sb, "null");
	if (b && !r->open && history_dir(b) == HISTORY_UPGRADE)
		sb_addf(sb, ",\"duration_ms\":%.3f", b->duration_ms);
	else
		sb_adds(sb, ",\"duration_ms\":null");
	sb_addf(sb, ",\"how\":");
	if (b)
		sb_add_json_str(sb, b->direction);
	else
		sb_adds(sb, "null");
	sb_addc(sb, '}');
}

/* "2026-05-01 10:00:00" from the ledger's "2026-05-01 10:00:00.123". */
static void add_time(struct strbuf *sb, const char *t)
{
	sb_addf(sb, "%-19.19s", t ? t : "");
}

static void status_text(struct cli_ctx *c, struct strbuf *sb, const struct status_row *rows,
                        uint32_t n, const struct inspect_opens *o, const uint32_t *counts)
{
	int idw = 8, byw = 2;
	char **by = xcalloc(n + 1, sizeof(*by));
	for (uint32_t i = 0; i < n; i++) {
		int w = (int)strlen(rows[i].rev);
		idw = w > idw ? w : idw;
		const struct history_row *b = rows[i].by;
		if (b && b->os_user) {
			by[i] = xasprintf("%s@%s", b->os_user, b->host ? b->host : "?");
			w = (int)strlen(by[i]);
			byw = w > byw ? (w > 32 ? 32 : w) : byw;
		}
	}
	sb_addf(sb, "%-*s  %-16s  %-19s  %-*s  %10s  %s\n", idw, "REVISION", "STATE",
	        "APPLIED AT (UTC)", byw, "BY", "DURATION", "MESSAGE");
	for (uint32_t i = 0; i < n; i++) {
		const struct status_row *r = &rows[i];
		const struct history_row *b = r->by;
		sb_addf(sb, "%-*s  %-16s  ", idw, r->rev, state_names[r->state]);
		add_time(sb, b ? (r->open ? b->started_at : b->finished_at ? b->finished_at
		                                                             : b->started_at)
		               : NULL);
		sb_addf(sb, "  %-*.*s  ", byw, byw, by[i] ? by[i] : "");
		if (b && !r->open && history_dir(b) == HISTORY_UPGRADE)
			sb_addf(sb, "%7.1f ms", b->duration_ms);
		else if (b && !r->open)
			sb_addf(sb, "%10s", b->direction);
		else
			sb_addf(sb, "%10s", "");
		sb_addf(sb, "  %s", r->message ? r->message : "(no script defines it)");
		if (r->head)
			sb_adds(sb, " (head)");
		if (r->current)
			sb_adds(sb, " (current)");
		sb_addc(sb, '\n');
	}
	for (uint32_t i = 0; i < n; i++)
		free(by[i]);
	free(by);

	struct strbuf sum = STRBUF_INIT;
	for (int s = 0; s < ST_COUNT; s++)
		if (counts[s])
			sb_addf(&sum, "%s%u %s", sum.len ? ", " : "", counts[s], state_names[s]);
	sb_addf(sb, "\n%s: %s\n", c->url.display, sum.len ? sb_str(&sum) : "no revisions");
	sb_free(&sum);
	for (uint32_t i = 0; i < o->n; i++) {
		sb_addc(sb, '\n');
		inspect_open_describe(&o->v[i], sb);
		sb_addc(sb, '\n');
		if (o->v[i].state != OPEN_RUNNING) {
			inspect_open_way_out(&o->v[i], sb);
			sb_addc(sb, '\n');
		}
	}
}

static int run_status(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	if (argc > 1) {
		fprintf(c->errf, "retort status: unexpected argument '%s'\n", argv[1]);
		return RT_EUSAGE;
	}
	char *err = NULL;
	char **heads = NULL;
	uint32_t nheads = 0;
	struct history_row *ledger = NULL;
	uint32_t nledger = 0;
	struct inspect_opens o = {0};
	int rc = cli_current(c, &heads, &nheads, &err);
	if (rc == RT_OK)
		rc = c->db->ops->history_read(c->db, NULL, &ledger, &nledger, &err);
	if (rc == RT_OK)
		rc = inspect_open_steps(c->db, c->graph, false, &o, &err);
	if (rc != RT_OK) {
		db_strv_free(heads, nheads);
		db_history_free(ledger, nledger);
		return cli_report(c, rc, err);
	}
	const struct graph *g = c->graph;
	struct bitset applied, current;
	bitset_init(&applied, g->n);
	bitset_init(&current, g->n);
	inspect_applied(g, heads, nheads, &applied);

	const char **sums = xcalloc(g->n + 1, sizeof(*sums));
	const struct history_row **by = xcalloc(g->n + 1, sizeof(*by));
	inspect_ledger_index(g, ledger, nledger, sums, by);
	struct status_row *rows = xcalloc(g->n + nheads + o.n + 1, sizeof(*rows));
	uint32_t n = 0, counts[ST_COUNT] = {0};
	/* first what no script defines: rows of the version table, and
	 * half-done steps of revisions whose scripts are gone */
	for (uint32_t i = 0; i < nheads; i++) {
		int32_t x = graph_find(g, heads[i]);
		if (x >= 0) {
			bitset_set(&current, (uint32_t)x);
			continue;
		}
		struct status_row *r = &rows[n++];
		r->rev = heads[i];
		r->current = true;
		r->by = inspect_last_applied(ledger, nledger, heads[i]);
		r->open = inspect_opens_find(&o, heads[i]);
		r->state = r->open ? (r->open->state == OPEN_RUNNING ? ST_RUNNING : ST_INTERRUPTED)
		                   : r->by ? ST_MISSING : ST_UNKNOWN;
		if (r->open)
			r->by = r->open->row;
	}
	for (uint32_t i = 0; i < o.n; i++) {
		const struct inspect_open *x = &o.v[i];
		bool listed = x->rev >= 0;
		for (uint32_t k = 0; k < n && !listed; k++)
			listed = strcmp(rows[k].rev, x->row->revision) == 0;
		if (listed)
			continue;
		struct status_row *r = &rows[n++];
		r->rev = x->row->revision;
		r->open = x;
		r->by = x->row;
		r->state = x->state == OPEN_RUNNING ? ST_RUNNING : ST_INTERRUPTED;
	}
	for (uint32_t rev = g->n; rev-- > 0;) {
		const struct gnode *x = &g->nodes[rev];
		struct status_row *r = &rows[n++];
		r->rev = x->s.rev;
		r->message = x->s.message;
		r->path = x->s.path;
		r->head = x->nchildren == 0;
		r->current = bitset_get(&current, rev);
		r->open = inspect_opens_find(&o, x->s.rev);
		if (r->open) {
			r->state = r->open->state == OPEN_RUNNING ? ST_RUNNING : ST_INTERRUPTED;
			r->by = r->open->row;
		} else if (bitset_get(&applied, rev)) {
			r->by = by[rev];
			const char *sum = sums[rev];
			char hex[65], *e = NULL;
			r->state = sum && (script_checksum(&x->s, hex, &e) != RT_OK || strcmp(hex, sum) != 0)
			                   ? ST_CHANGED : ST_APPLIED;
			free(e);
		} else {
			r->state = ST_PENDING;
		}
	}
	for (uint32_t i = 0; i < n; i++)
		counts[rows[i].state]++;

	struct strbuf sb = STRBUF_INIT;
	if (c->json) {
		sb_adds(&sb, "{\"database\":");
		sb_add_json_str(&sb, c->url.display);
		sb_adds(&sb, ",\"revisions\":[");
		for (uint32_t i = 0; i < n; i++) {
			if (i)
				sb_addc(&sb, ',');
			status_row_json(&sb, &rows[i]);
		}
		sb_adds(&sb, "],\"unfinished\":[");
		for (uint32_t i = 0; i < o.n; i++) {
			if (i)
				sb_addc(&sb, ',');
			open_step_json(&sb, &o.v[i]);
		}
		sb_adds(&sb, "],\"counts\":{");
		for (int s = 0; s < ST_COUNT; s++)
			sb_addf(&sb, "%s\"%s\":%u", s ? "," : "", state_names[s], counts[s]);
		sb_adds(&sb, "}}\n");
	} else {
		status_text(c, &sb, rows, n, &o, counts);
	}
	fputs(sb_str(&sb), c->out);
	sb_free(&sb);
	free(rows);
	free(sums);
	free(by);
	bitset_free(&applied);
	bitset_free(&current);
	inspect_opens_free(&o);
	db_history_free(ledger, nledger);
	db_strv_free(heads, nheads);
	return RT_OK;
}

static const struct cmd_opt no_opts[] = {{NULL, 0, NULL, NULL}};

const struct cmd_entry cmd_status = {
	"status", NULL, "every revision with its state: applied, pending, changed, interrupted",
	no_opts, CMD_NEEDS_GRAPH | CMD_NEEDS_DB | CMD_TARGETS, run_status,
};

/* ---- resolve ---- */

static bool has_word(char *const *v, uint32_t n, const char *w)
{
	for (uint32_t i = 0; i < n; i++)
		if (strcmp(v[i], w) == 0)
			return true;
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The version table's change that makes revision id applied or not, as
 * one step of a plan would make it: applied, it replaces those of its
 * parents that are rows; reverted, its row goes and those of its parents
 * that no other applied revision stands on come back. Words borrowed from
 * the graph or heads. RT_EFAIL when the graph does not allow it. */
static int version_change(const struct graph *g, char **heads, uint32_t n, const char *id,
                          bool applied, const char **del, uint32_t *ndel,
                          const char **ins, uint32_t *nins, char **err)
{
	*ndel = *nins = 0;
	int32_t x = g ? graph_find(g, id) : -1;
	if (x < 0) {
		/* no script: only its own row can be judged */
		if (applied && !has_word(heads, n, id))
			ins[(*nins)++] = id;
		else if (!applied && has_word(heads, n, id))
			del[(*ndel)++] = id;
		return RT_OK;
	}
	const struct gnode *r = &g->nodes[x];
	struct bitset on, need;
	bitset_init(&on, g->n);
	bitset_init(&need, g->n);
	inspect_applied(g, heads, n, &on);
	int rc = RT_OK;
	if (applied == bitset_get(&on, (uint32_t)x))
		goto out;
	if (applied) {
		graph_ancestors(g, (uint32_t)x, true, &need);
		for (uint32_t i = 0; i < g->n && rc == RT_OK; i++)
			if (i != (uint32_t)x && bitset_get(&need, i) && !bitset_get(&on, i))
				rc = rt_err(err, RT_EFAIL, "%s cannot be applied while %s, which it "
				            "stands on, is not", id, g->nodes[i].s.rev);
		for (uint32_t j = 0; j < r->nparents && rc == RT_OK; j++)
			if (has_word(heads, n, g->nodes[r->parents[j]].s.rev))
				del[(*ndel)++] = g->nodes[r->parents[j]].s.rev;
		ins[(*nins)++] = r->s.rev;
		goto out;
	}
	for (uint32_t j = 0; j < r->nchildren && rc == RT_OK; j++)
		if (bitset_get(&on, r->children[j]))
			rc = rt_err(err, RT_EFAIL, "%s cannot be reverted while %s, applied on top "
			            "of it, is not", id, g->nodes[r->children[j]].s.rev);
	for (uint32_t j = 0; j < r->ndependents && rc == RT_OK; j++)
		if (bitset_get(&on, r->dependents[j]))
			rc = rt_err(err, RT_EFAIL, "%s cannot be reverted while %s, which depends "
			            "on it, is applied", id, g->nodes[r->dependents[j]].s.rev);
	if (rc != RT_OK)
		goto out;
	del[(*ndel)++] = r->s.rev;
	bitset_unset(&on, (uint32_t)x);
	for (uint32_t j = 0; j < r->nparents; j++) {
		const struct gnode *p = &g->nodes[r->parents[j]];
		bool other = false;
		for (uint32_t c = 0; c < p->nchildren && !other; c++)
			other = bitset_get(&on, p->children[c]);
		if (!other && !has_word(heads, n, p->s.rev))
			ins[(*nins)++] = p->s.rev;
	}
out:
	bitset_free(&on);
	bitset_free(&need);
	return rc;
}

/* The open step that spec names: a revision id of the ledger as it is, or
 * a specifier of the scripts. */
static const struct inspect_open *find_open(struct cli_ctx *c, const struct inspect_opens *o,
                                            const char *spec, char **err)
{
	const struct inspect_open *x = inspect_opens_find(o, spec);
	if (x)
		return x;
	struct spec_ctx sc = {c->graph, NULL, 0, false};
	struct revset r;
	char *e = NULL;
	if (c->graph && spec_resolve(&sc, spec, &r, &e) == RT_OK) {
		if (r.n == 1)
			x = inspect_opens_find(o, c->graph->nodes[r.v[0]].s.rev);
		revset_free(&r);
	}
	free(e);
	if (x)
		return x;
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s: no interrupted Transaction: none step to resolve", spec);
	if (o->blocking) {
		sb_adds(&sb, " (the ledger shows");
		for (uint32_t i = 0, k = 0; i < o->n; i++)
			if (o->v[i].state != OPEN_RUNNING)
				sb_addf(&sb, "%s %s", k++ ? "," : "", o->v[i].row->revision);
		sb_adds(&sb, ")");
	} else {
		sb_adds(&sb, "; the ledger shows none");
	}
	rt_err(err, RT_EUSAGE, "%s", sb_str(&sb));
	sb_free(&sb);
	return NULL;
}

enum decision { DECIDE_APPLIED, DECIDE_REVERTED, DECIDE_AS_VERSION_TABLE };

/* Under the lock: records the decision on spec's open step. */
static int resolve_locked(struct cli_ctx *c, const char *spec, enum decision d, int64_t id,
                          char **msg, char **err)
{
	struct db *db = c->db;
	char **heads = NULL;
	uint32_t n = 0;
	struct inspect_opens o = {0};
	int rc = db->ops->read_heads(db, &heads, &n, err);
	if (rc == RT_OK)
		rc = inspect_open_steps(db, c->graph, true, &o, err);
	const struct inspect_open *x = rc == RT_OK ? find_open(c, &o, spec, err) : NULL;
	if (rc == RT_OK && !x)
		rc = RT_EUSAGE;
	if (rc == RT_OK && x->row->id != id)
		rc = rt_err(err, RT_EFAIL, "%s: the ledger changed while you were asked (another "
		            "retort run?): nothing was done; try again", x->row->revision);
	if (rc != RT_OK)
		goto out;
	const struct history_row *r = x->row;
	bool up = history_dir(r) == HISTORY_UPGRADE;
	if (d == DECIDE_AS_VERSION_TABLE) {
		/* the version table is right as it is: before an upgrade, the
		 * revision is not applied; before a downgrade, it is */
		d = up ? DECIDE_REVERTED : DECIDE_APPLIED;
	}
	bool applied = d == DECIDE_APPLIED;
	const struct graph *g = c->graph;
	const char **del = xcalloc((g ? g->n : 0) + 2, sizeof(*del));
	const char **ins = xcalloc((g ? g->n : 0) + 2, sizeof(*ins));
	uint32_t ndel = 0, nins = 0;
	rc = version_change(g, heads, n, r->revision, applied, del, &ndel, ins, &nins, err);
	char **now = xcalloc(n + nins + 1, sizeof(*now));
	uint32_t nnow = 0;
	for (uint32_t i = 0; i < n; i++)
		if (!has_word((char *const *)del, ndel, heads[i]))
			now[nnow++] = heads[i];
	for (uint32_t i = 0; i < nins; i++)
		now[nnow++] = (char *)ins[i];
	qsort(now, nnow, sizeof(*now), cmp_str);
	struct strbuf hb = STRBUF_INIT, ha = STRBUF_INIT;
	for (uint32_t i = 0; i < n; i++)
		sb_addf(&hb, "%s%s", i ? " " : "", heads[i]);
	for (uint32_t i = 0; i < nnow; i++)
		sb_addf(&ha, "%s%s", i ? " " : "", now[i]);
	if (rc == RT_OK)
		rc = run_record_resolve(db, r, applied, del, ndel, ins, nins, sb_str(&hb),
		                        sb_str(&ha), err);
	if (rc == RT_OK)
		*msg = xasprintf("Resolved %s: its %s is recorded as %s (%s); the version table: %s\n",
		                 r->revision, r->direction,
		                 applied ? "applied" : "reverted",
		                 up == applied ? "the step is complete" : "the step is undone",
		                 nnow ? sb_str(&ha) : "<base>");
	sb_free(&hb);
	sb_free(&ha);
	free(now);
	free(del);
	free(ins);
out:
	inspect_opens_free(&o);
	db_strv_free(heads, n);
	return rc;
}

int cli_resolve(struct cli_ctx *c, const struct cli_confirm *given, const char *spec,
                int decision, bool *found)
{
	char *err = NULL, *msg = NULL;
	enum decision d = (enum decision)decision;
	*found = true;
	int rc = cli_db(c, &err);
	if (rc != RT_OK)
		return cli_report(c, rc, err);
	run_signals_attach(c->db);
	/* what is to be settled, read before asking anything */
	struct inspect_opens o;
	rc = inspect_open_steps(c->db, c->graph, false, &o, &err);
	if (rc != RT_OK)
		return cli_report(c, rc, err);
	const struct inspect_open *x = find_open(c, &o, spec, &err);
	if (!x) {
		inspect_opens_free(&o);
		if (d == DECIDE_AS_VERSION_TABLE) {
			*found = false;  /* repair goes on with its own work */
			free(err);
			return RT_OK;
		}
		return cli_report(c, RT_EUSAGE, err);
	}
	if (x->state == OPEN_RUNNING) {
		struct strbuf sb = STRBUF_INIT;
		inspect_open_describe(x, &sb);
		rt_err(&err, RT_EFAIL, "%s\nNothing to resolve while it runs: nothing was done.",
		       sb_str(&sb));
		sb_free(&sb);
		inspect_opens_free(&o);
		return cli_report(c, RT_EFAIL, err);
	}
	int64_t id = x->row->id;
	char *rev = xstrdup(x->row->revision);
	if (!c->quiet || c->cfg.production) {
		struct strbuf sb = STRBUF_INIT;
		inspect_open_describe(x, &sb);
		fprintf(c->out, "%s\n", sb_str(&sb));
		sb_free(&sb);
	}
	inspect_opens_free(&o);
	char *action = d == DECIDE_APPLIED ? xasprintf("record that %s is applied", rev)
	             : d == DECIDE_REVERTED ? xasprintf("record that %s is reverted", rev)
	             : xasprintf("record that %s is as the version table says", rev);
	rc = cli_production_confirm(c, given, "resolve", action,
	                            c->cfg.production ? POLICY_RESOLVE : 0, &err);
	free(action);
	struct db_wait w = cli_lock_wait(c);
	if (rc == RT_OK)
		rc = c->db->ops->lock(c->db, &w, &err);
	if (rc == RT_OK) {
		rc = resolve_locked(c, rev, d, id, &msg, &err);
		c->db->ops->unlock(c->db);
	}
	if (rc == RT_OK && msg && !c->quiet)
		fputs(msg, c->out);
	free(msg);
	free(rev);
	return cli_report(c, rc, err);
}

static const struct cmd_opt resolve_opts[] = {
	{"applied", 0, NULL, "the revision is applied: its step was finished (or its "
	 "downgrade undone) by hand"},
	{"reverted", 0, NULL, "the revision is not applied: its step was undone (or its "
	 "downgrade finished) by hand"},
	{"yes", 'y', NULL, "with --confirm-database: no question on a production database"},
	{"confirm-database", 0, "NAME", "the database's name, for a production database"},
	{NULL, 0, NULL, NULL},
};

static int run_resolve(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	bool applied = cli_flag(opts, "applied"), reverted = cli_flag(opts, "reverted");
	if (argc != 2 || applied == reverted) {
		fprintf(c->errf, "usage: retort resolve REV --applied|--reverted\n");
		return RT_EUSAGE;
	}
	bool found;
	struct cli_confirm given = cli_confirm_given(opts);
	return cli_resolve(c, &given, argv[1], applied ? DECIDE_APPLIED : DECIDE_REVERTED, &found);
}

const struct cmd_entry cmd_resolve = {
	"resolve", "REV --applied|--reverted",
	"record how an interrupted Transaction: none step was settled by hand",
	resolve_opts, CMD_NEEDS_GRAPH | CMD_NEEDS_DB | CMD_WRITES, run_resolve,
	CMD_ARG_REVISION,
};
