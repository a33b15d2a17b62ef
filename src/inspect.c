/* inspect.c: see inspect.h. */
#include "inspect.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sqllex.h"

/* What one ledger row says of its revision: the checksum recorded when
 * it was last applied (NULL once reverted), and the row that applied it
 * (NULL once reverted). A step settled by hand (resolve) counts as what
 * was decided; a repair records a checksum without applying anything. */
struct said {
	const char *sum;
	const struct history_row *by;
};

static void track(struct said *w, const struct history_row *r)
{
	bool resolve = strcmp(r->direction, "resolve") == 0;
	bool ok = strcmp(r->outcome, "ok") == 0;
	if (resolve ? strcmp(r->outcome, "reverted") == 0
	            : ok && strcmp(r->direction, "downgrade") == 0) {
		w->sum = NULL;
		w->by = NULL;
		return;
	}
	if (!(resolve ? strcmp(r->outcome, "applied") == 0 : ok))
		return;
	if (r->checksum)
		w->sum = r->checksum;
	if (resolve || strcmp(r->direction, "upgrade") == 0 || strcmp(r->direction, "stamp") == 0)
		w->by = r;
}

const char *inspect_recorded_checksum(const struct history_row *rows, uint32_t n,
                                      const char *rev)
{
	struct said w = {NULL, NULL};
	for (uint32_t i = 0; i < n; i++)
		if (strcmp(rows[i].revision, rev) == 0)
			track(&w, &rows[i]);
	return w.sum;
}

const struct history_row *inspect_last_applied(const struct history_row *rows, uint32_t n,
                                               const char *rev)
{
	struct said w = {NULL, NULL};
	for (uint32_t i = 0; i < n; i++)
		if (strcmp(rows[i].revision, rev) == 0)
			track(&w, &rows[i]);
	return w.by;
}

void inspect_ledger_index(const struct graph *g, const struct history_row *rows, uint32_t n,
                          const char **sums, const struct history_row **by)
{
	struct said *w = xcalloc(g->n + 1, sizeof(*w));
	for (uint32_t i = 0; i < n; i++) {
		int32_t x = graph_find(g, rows[i].revision);
		if (x >= 0)
			track(&w[x], &rows[i]);
	}
	for (uint32_t r = 0; r < g->n; r++) {
		if (sums)
			sums[r] = w[r].sum;
		if (by)
			by[r] = w[r].by;
	}
	free(w);
}

void inspect_applied(const struct graph *g, char *const *heads, uint32_t n,
                     struct bitset *applied)
{
	for (uint32_t i = 0; i < n; i++) {
		int32_t x = graph_find(g, heads[i]);
		if (x >= 0 && !bitset_get(applied, (uint32_t)x))
			graph_ancestors(g, (uint32_t)x, true, applied);
	}
}

int inspect_changed(struct db *db, const struct graph *g, char *const *heads,
                    uint32_t n, struct u32vec *changed, char **err)
{
	struct history_row *rows = NULL;
	uint32_t nrows = 0;
	int rc = db->ops->history_read(db, NULL, &rows, &nrows, err);
	if (rc != RT_OK)
		return rc;
	struct bitset applied;
	bitset_init(&applied, g->n);
	inspect_applied(g, heads, n, &applied);
	const char **sums = xcalloc(g->n + 1, sizeof(*sums));
	inspect_ledger_index(g, rows, nrows, sums, NULL);
	for (uint32_t r = 0; r < g->n && rc == RT_OK; r++) {
		if (!bitset_get(&applied, r))
			continue;
		const char *sum = sums[r];
		char hex[65];
		if (!sum)
			continue;
		rc = script_checksum(&g->nodes[r].s, hex, err);
		if (rc == RT_OK && strcmp(hex, sum) != 0)
			u32vec_push(changed, r);
	}
	bitset_free(&applied);
	free(sums);
	db_history_free(rows, nrows);
	return rc;
}

/* ---- Transaction: none steps left half done ---- */

/* Whether the holder line of the lock names the process of row: SQLite's
 * "pid N on HOST as …", PostgreSQL's "… (retort N@HOST)". *other: it names
 * another retort process. */
static bool holder_names(const char *holder, const struct history_row *row, bool *other)
{
	char *a = xasprintf("pid %" PRId64 " on %s as ", row->pid, row->host ? row->host : "");
	char *b = xasprintf("(retort %" PRId64 "@%s)", row->pid, row->host ? row->host : "");
	bool named = strncmp(holder, a, strlen(a)) == 0 || strstr(holder, b);
	*other = !named && (strstr(holder, "(retort ") || strstr(holder, " as "));
	free(a);
	free(b);
	return named;
}

static bool process_exists(int64_t pid)
{
	if (pid <= 0 || (pid_t)pid != pid)
		return false;
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

/* The statement after last_ok_line in the section the step ran, 0 when
 * the file cannot say. */
static uint32_t next_statement(const struct script *s, const struct history_row *row,
                               enum sql_dialect dialect)
{
	char *sql = NULL, *err = NULL;
	struct sql_stmt *st = NULL;
	uint32_t n = 0, next = 0;
	bool up = strcmp(row->direction, "upgrade") == 0;
	if (script_read_sql(s, up ? SCRIPT_UPGRADE : SCRIPT_DOWNGRADE, &sql, &err) == RT_OK &&
	    sqllex_split(sql, strlen(sql), dialect, up ? s->up_line : s->down_line, &st, &n,
	                 &err) == RT_OK) {
		for (uint32_t i = 0; i < n && !next; i++)
			if (st[i].line > row->last_ok_line)
				next = st[i].line;
	}
	free(st);
	free(sql);
	free(err);
	return next;
}

static void decide(struct db *db, const char *holder, const char *host,
                   struct inspect_open *o)
{
	const struct history_row *r = o->row;
	if (strcmp(r->outcome, "started") != 0) {
		o->state = OPEN_FAILED;
		return;
	}
	bool other = false;
	if (!holder)
		o->state = OPEN_INTERRUPTED;
	else if (r->host && strcmp(r->host, host) == 0 && r->pid > 0)
		o->state = process_exists(r->pid) ? OPEN_RUNNING : OPEN_INTERRUPTED;
	else if (holder_names(holder, r, &other) || !other)
		o->state = OPEN_RUNNING;
	else
		o->state = OPEN_INTERRUPTED;
}

int inspect_open_steps(struct db *db, const struct graph *g, bool locked,
                       struct inspect_opens *out, char **err)
{
	memset(out, 0, sizeof(*out));
	if (!db->ops->history_open)
		return RT_OK;
	int rc = db->ops->history_open(db, &out->rows, &out->nrows, err);
	if (rc != RT_OK || out->nrows == 0)
		return rc;
	char *holder = NULL;
	bool started = false;
	for (uint32_t i = 0; i < out->nrows; i++)
		started |= strcmp(out->rows[i].outcome, "started") == 0;
	if (started && !locked) {
		rc = db->ops->lock_holder(db, &holder, err);
		if (rc == RT_OK && !holder) {
			/* nobody migrates now: a started row still there after this
			 * was left by a process that ended without completing it (one
			 * read before might have been completed since) */
			db_history_free(out->rows, out->nrows);
			out->rows = NULL;
			out->nrows = 0;
			rc = db->ops->history_open(db, &out->rows, &out->nrows, err);
		}
		if (rc != RT_OK) {
			inspect_opens_free(out);
			free(holder);
			return rc;
		}
	}
	char host[256];
	if (gethostname(host, sizeof host) != 0)
		host[0] = '\0';
	host[sizeof host - 1] = '\0';
	out->v = xcalloc(out->nrows + 1, sizeof(*out->v));
	for (uint32_t i = 0; i < out->nrows; i++) {
		struct inspect_open *o = &out->v[out->n++];
		o->row = &out->rows[i];
		o->rev = g ? graph_find(g, o->row->revision) : -1;
		if (locked)
			o->state = strcmp(o->row->outcome, "started") == 0 ? OPEN_INTERRUPTED : OPEN_FAILED;
		else
			decide(db, holder, host, o);
		out->blocking += o->state != OPEN_RUNNING;
		if (o->rev < 0)
			continue;
		const struct script *s = &g->nodes[o->rev].s;
		char hex[65], *e = NULL;
		o->path = s->path;
		o->changed = o->row->checksum && (script_checksum(s, hex, &e) != RT_OK ||
		                                  strcmp(hex, o->row->checksum) != 0);
		free(e);
		if (!o->changed)
			o->next_line = next_statement(s, o->row, db->dialect);
	}
	free(holder);
	return RT_OK;
}

void inspect_opens_free(struct inspect_opens *o)
{
	db_history_free(o->rows, o->nrows);
	free(o->v);
	memset(o, 0, sizeof(*o));
}

const struct inspect_open *inspect_opens_find(const struct inspect_opens *o,
                                              const char *rev)
{
	for (uint32_t i = 0; i < o->n; i++)
		if (strcmp(o->v[i].row->revision, rev) == 0)
			return &o->v[i];
	return NULL;
}

/* "versions/x.sql:8", or "line 8" without a file. */
static void add_where(struct strbuf *sb, const struct inspect_open *o, int64_t line)
{
	if (o->path)
		sb_addf(sb, "%s:%" PRId64, o->path, line);
	else
		sb_addf(sb, "line %" PRId64, line);
}

static void add_who(struct strbuf *sb, const struct history_row *r)
{
	sb_addf(sb, "pid %" PRId64 " on %s as %s", r->pid, r->host ? r->host : "?",
	        r->os_user ? r->os_user : "?");
}

void inspect_open_describe(const struct inspect_open *o, struct strbuf *sb)
{
	const struct history_row *r = o->row;
	bool up = strcmp(r->direction, "upgrade") == 0;
	const char *when = r->started_at ? r->started_at : "an unknown time";
	if (o->state == OPEN_RUNNING) {
		sb_addf(sb, "%s: its %s (Transaction: none) is running now: started %s UTC by ",
		        r->revision, r->direction, when);
		add_who(sb, r);
		if (r->last_ok_line) {
			sb_adds(sb, "; it has run up to ");
			add_where(sb, o, r->last_ok_line);
		}
		return;
	}
	if (o->state == OPEN_INTERRUPTED) {
		sb_addf(sb, "%s was interrupted during its %s (Transaction: none): started %s UTC by ",
		        r->revision, r->direction, when);
		add_who(sb, r);
		sb_adds(sb, ", which ended without completing it");
		if (r->duration_ms >= 1000)
			sb_addf(sb, " (last heard of %.1f s after the start)", r->duration_ms / 1000.0);
		else if (r->duration_ms > 0)
			sb_addf(sb, " (last heard of %.0f ms after the start)", r->duration_ms);
		sb_adds(sb, ".\n");
		if (r->last_ok_line) {
			sb_adds(sb, "The last statement known to have run is ");
			add_where(sb, o, r->last_ok_line);
			if (o->next_line)
				sb_addf(sb, "; the one at line %u may have run in part or in full, and "
				        "those after it did not run", o->next_line);
			else
				sb_adds(sb, "; any statement after it may have run in part or in full");
		} else {
			sb_adds(sb, "No statement of it is known to have run");
			if (o->next_line) {
				sb_adds(sb, "; the first, ");
				add_where(sb, o, o->next_line);
				sb_adds(sb, ", may have run in part or in full, and those after it did not run");
			}
		}
	} else {
		sb_addf(sb, "%s failed part-way through its %s (Transaction: none), started %s UTC by ",
		        r->revision, r->direction, when);
		add_who(sb, r);
		sb_adds(sb, ":\n");
		if (r->error_line)
			add_where(sb, o, r->error_line);
		else
			sb_adds(sb, o->path ? o->path : r->revision);
		sb_addf(sb, ": %.*s\n", (int)strcspn(r->error ? r->error : "failed", "\n"),
		        r->error ? r->error : "failed");
		sb_adds(sb, "The statements up to ");
		add_where(sb, o, r->last_ok_line);
		sb_adds(sb, " ran and stay");
	}
	sb_addf(sb, "; the version table %s.", up ? "does not name it" : "still names it");
	if (o->changed)
		sb_adds(sb, " The script has changed since: its line numbers may no longer match.");
	else if (o->rev < 0)
		sb_adds(sb, " No script defines it any more.");
}

void inspect_open_way_out(const struct inspect_open *o, struct strbuf *sb)
{
	const char *rev = o->row->revision;
	bool up = strcmp(o->row->direction, "upgrade") == 0;
	sb_addf(sb, "Finish or undo it by hand, then record what you did: "
	        "'retort resolve %s --applied' (%s: the version table will name it) or "
	        "'retort resolve %s --reverted' (%s: it will not); "
	        "or, when the database is as the version table says, 'retort repair %s'.",
	        rev, up ? "the upgrade is complete" : "the downgrade is undone",
	        rev, up ? "the upgrade is undone" : "the downgrade is complete", rev);
}

void inspect_open_brief(const struct inspect_open *o, struct strbuf *sb)
{
	const struct history_row *r = o->row;
	if (o->state == OPEN_RUNNING)
		sb_addf(sb, "%s running", r->direction);
	else if (o->state == OPEN_INTERRUPTED)
		sb_addf(sb, "interrupted %s", r->direction);
	else
		sb_addf(sb, "%s failed part-way", r->direction);
	if (r->last_ok_line)
		sb_addf(sb, ", last line %" PRId64, r->last_ok_line);
	else if (o->state != OPEN_RUNNING)
		sb_adds(sb, ", no statement known to have run");
}
