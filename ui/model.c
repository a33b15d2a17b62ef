/* model.c: what the console shows, loaded through the engine: the graph
 * and its lanes, the version table, the applied set and the ledger. */
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "inspect.h"
#include "schema.h"

/* Groups the ledger by revision (a counting sort, so each revision's rows
 * keep their order). */
static void index_ledger(struct model *m)
{
	const struct graph *g = m->g;
	m->rev_start = xcalloc(g->n + 2, sizeof(*m->rev_start));
	int32_t *rev_of = xmalloc((m->nledger + 1) * sizeof(*rev_of));
	for (uint32_t i = 0; i < m->nledger; i++) {
		rev_of[i] = graph_find(g, m->ledger[i].revision);
		if (rev_of[i] >= 0)
			m->rev_start[rev_of[i] + 2]++;
	}
	for (uint32_t r = 0; r < g->n; r++)
		m->rev_start[r + 2] += m->rev_start[r + 1];
	m->by_rev = xmalloc((m->nledger + 1) * sizeof(*m->by_rev));
	for (uint32_t i = 0; i < m->nledger; i++)
		if (rev_of[i] >= 0)
			m->by_rev[m->rev_start[rev_of[i] + 1]++] = m->ledger[i];
	free(rev_of);
}

static void load_db(struct model *m)
{
	struct cli_ctx *c = m->c;
	const struct graph *g = m->g;
	char *err = NULL;
	int rc = cli_url(c, &err);
	if (rc == RT_EUSAGE && !c->url_loaded) {
		/* No database anywhere: the console shows the scripts alone. */
		free(err);
		return;
	}
	m->db_configured = true;
	if (rc == RT_OK)
		rc = cli_current(c, &m->vrows, &m->nvrows, &err);
	if (rc == RT_OK)
		rc = cli_ledger(c, &m->ledger, &m->nledger, &err);
	if (rc == RT_OK)
		rc = inspect_open_steps(c->db, g, false, &m->opens, &err);
	if (rc != RT_OK) {
		m->db_error = err ? err : xstrdup(rt_status_text(rc));
		m->db_missing = cli_db_missing(c);
		/* A broken connection is opened afresh by the next reload. */
		cli_db_drop(c);
		return;
	}
	m->have_db = true;
	inspect_applied(g, m->vrows, m->nvrows, &m->applied);
	struct strbuf unknown = STRBUF_INIT;
	for (uint32_t i = 0; i < m->nvrows; i++) {
		int32_t x = graph_find(g, m->vrows[i]);
		if (x >= 0)
			bitset_set(&m->current, (uint32_t)x);
		else
			sb_addf(&unknown, "%s%s", unknown.len ? " " : "", m->vrows[i]);
	}
	m->unknown = unknown.len ? sb_detach(&unknown) : NULL;
	sb_free(&unknown);
	for (uint32_t r = 0; r < g->n; r++)
		m->napplied += bitset_get(&m->applied, r);
	index_ledger(m);
	/* Drift needs scratch databases: only when the project declares its
	 * schema, as a project that does means to be told. */
	if (c->cfg.schema) {
		struct schema_live lv;
		struct schema_drift_result drift = {0};
		char *derr = NULL;
		if (cli_schema_live(c, &lv, &derr) == RT_OK &&
		    schema_drift(&lv, g, c->cfg.schema, &drift, NULL, NULL, &derr) == RT_OK &&
		    drift.count) {
			const char *against;
			const struct schema_delta *x = schema_drift_at(&drift, 0, &against);
			struct strbuf first = STRBUF_INIT;
			schema_delta_text(x, "in the database", against, &first);
			m->drift = (int)drift.count;
			m->drift_first = sb_detach(&first);
			sb_free(&first);
		}
		schema_drift_result_free(&drift);
		free(derr);
	}
}

/* The SQLite file a poll looks at, or NULL. */
static const char *db_file(const struct model *m)
{
	const struct cli_ctx *c = m->c;
	if (!c->url_loaded || c->url.backend != DB_SQLITE || !c->url.path || !*c->url.path ||
	    strcmp(c->url.path, ":memory:") == 0)
		return NULL;
	return c->url.path;
}

static bool same_stat(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Before anything is read: a change made meanwhile shows at the next poll. */
static void take_stamps(struct model *m)
{
	struct cli_ctx *c = m->c;
	if (c->versions_dir && stat(c->versions_dir, &m->dir_stat) != 0)
		memset(&m->dir_stat, 0, sizeof m->dir_stat);
	char *err = NULL;
	if (cli_url(c, &err) != RT_OK) {
		free(err);
		return;
	}
	const char *path = db_file(m);
	m->db_stat_ok = path && stat(path, &m->db_stat) == 0;
}

enum model_poll model_poll(struct model *m, char **holder)
{
	struct cli_ctx *c = m->c;
	struct stat st;
	*holder = NULL;
	if (c->versions_dir && stat(c->versions_dir, &st) == 0 && !same_stat(&st, &m->dir_stat))
		return POLL_CHANGED;
	if (!m->db_configured)
		return POLL_SAME;
	const char *path = db_file(m);
	if (path) {
		bool ok = stat(path, &st) == 0;
		if (ok == m->db_stat_ok && (!ok || same_stat(&st, &m->db_stat)))
			return POLL_SAME;
		if (!m->have_db || !c->db)
			return POLL_CHANGED;  /* it may be readable now */
		/* a migration may keep readers out until it ends */
		char *err = NULL;
		if (c->db->ops->lock_holder(c->db, holder, &err) == RT_OK && *holder)
			return POLL_BUSY;
		free(err);
		m->db_stat = st;
	} else if (!m->have_db || !c->db) {
		/* a server that could not be reached is tried again with r */
		return POLL_SAME;
	}
	char **rows = NULL, *err = NULL;
	uint32_t n = 0;
	if (c->db->ops->read_heads(c->db, &rows, &n, &err) != RT_OK) {
		free(err);
		return POLL_CHANGED;
	}
	bool same = n == m->nvrows;
	for (uint32_t i = 0; i < n && same; i++)
		same = strcmp(rows[i], m->vrows[i]) == 0;
	db_strv_free(rows, n);
	return same ? POLL_SAME : POLL_CHANGED;
}

void model_load(struct model *m, struct cli_ctx *c)
{
	memset(m, 0, sizeof(*m));
	m->c = c;
	take_stamps(m);
	char *err = NULL;
	int rc = cli_graph(c, &err);
	if (rc == RT_OK) {
		m->g = c->graph;
		rc = lanes_of_graph(m->g, NULL, &m->lanes, &err);
	}
	if (rc != RT_OK) {
		m->g = NULL;
		m->graph_error = err ? err : xstrdup(rt_status_text(rc));
		return;
	}
	uint32_t n = m->g->n;
	bitset_init(&m->applied, n);
	bitset_init(&m->current, n);
	bitset_init(&m->selected, n);
	m->checksum = xcalloc(n + 1, 1);
	load_db(m);
}

void model_free(struct model *m)
{
	if (m->lanes)
		lanes_free(m->lanes);
	if (m->g) {
		bitset_free(&m->applied);
		bitset_free(&m->current);
		bitset_free(&m->selected);
	}
	db_strv_free(m->vrows, m->nvrows);
	db_history_free(m->ledger, m->nledger);
	inspect_opens_free(&m->opens);
	free(m->drift_first);
	free(m->by_rev);
	free(m->rev_start);
	free(m->checksum);
	free(m->unknown);
	free(m->graph_error);
	free(m->db_error);
	memset(m, 0, sizeof(*m));
}

char *model_current_text(const struct model *m)
{
	struct strbuf sb = STRBUF_INIT;
	for (uint32_t i = 0; i < m->nvrows; i++)
		sb_addf(&sb, "%s%s", i ? " " : "", m->vrows[i]);
	if (!m->nvrows)
		sb_adds(&sb, "<base>");
	return sb_detach(&sb);
}

uint32_t model_count(const struct model *m)
{
	return m->g ? m->g->n : 0;
}

bool model_is_head(const struct model *m, uint32_t rev)
{
	return m->g->nodes[rev].nchildren == 0;
}

const struct history_row *model_ledger(const struct model *m, uint32_t rev, uint32_t *n)
{
	if (!m->rev_start) {
		*n = 0;
		return NULL;
	}
	*n = m->rev_start[rev + 1] - m->rev_start[rev];
	return m->by_rev + m->rev_start[rev];
}

const struct inspect_open *model_open(const struct model *m, uint32_t rev)
{
	for (uint32_t i = 0; i < m->opens.n; i++)
		if (m->opens.v[i].rev == (int32_t)rev)
			return &m->opens.v[i];
	return NULL;
}

enum cs_state model_checksum(struct model *m, uint32_t rev)
{
	if (m->checksum[rev] != CS_UNKNOWN)
		return m->checksum[rev];
	enum cs_state st = CS_NONE;
	uint32_t n;
	const struct history_row *rows = model_ledger(m, rev, &n);
	const struct script *s = &m->g->nodes[rev].s;
	const char *sum = bitset_get(&m->applied, rev) ? inspect_recorded_checksum(rows, n, s->rev)
	                                               : NULL;
	if (sum) {
		char hex[65], *err = NULL;
		if (script_checksum(s, hex, &err) != RT_OK)
			st = CS_UNREADABLE;
		else
			st = strcmp(hex, sum) == 0 ? CS_SAME : CS_CHANGED;
		free(err);
	}
	m->checksum[rev] = (uint8_t)st;
	return st;
}
