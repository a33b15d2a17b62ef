/* model.c: what the console shows, loaded through the engine: the graph
 * and its lanes, the version table, the applied set and the ledger. */
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "inspect.h"
#include "schema.h"

static int layout_lanes(struct model *m, char **err)
{
	const struct graph *g = m->g;
	uint32_t *start = xmalloc((g->n + 1) * sizeof(*start));
	struct u32vec parents = {0};
	for (uint32_t row = 0; row < g->n; row++) {
		const struct gnode *x = &g->nodes[model_rev(m, row)];
		start[row] = parents.n;
		for (uint32_t j = 0; j < x->nparents; j++)
			u32vec_push(&parents, g->n - 1 - x->parents[j]);
	}
	start[g->n] = parents.n;
	int rc = lanes_layout(g->n, start, parents.v, &m->lanes, err);
	free(start);
	u32vec_free(&parents);
	return rc;
}

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
		rc = c->db->ops->history_read(c->db, NULL, &m->ledger, &m->nledger, &err);
	if (rc == RT_OK)
		rc = inspect_open_steps(c->db, g, false, &m->opens, &err);
	if (rc != RT_OK) {
		m->db_error = err ? err : xstrdup(rt_status_text(rc));
		m->db_missing = cli_db_missing(c);
		/* A broken connection is opened afresh by the next reload. */
		if (c->db)
			db_close(c->db);
		c->db = NULL;
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
		struct strbuf report = STRBUF_INIT;
		char *derr = NULL;
		if (schema_drift(c, &report, &m->drift, NULL, NULL, &derr) == RT_OK && m->drift)
		{
			const char *first = sb_str(&report);
			if (strncmp(first, "drift: ", 7) == 0)
				first += 7;
			m->drift_first = xstrndup(first, strcspn(first, "\n"));
		}
		free(derr);
		sb_free(&report);
	}
}

void model_load(struct model *m, struct cli_ctx *c)
{
	memset(m, 0, sizeof(*m));
	m->c = c;
	char *err = NULL;
	int rc = cli_graph(c, &err);
	if (rc == RT_OK) {
		m->g = c->graph;
		rc = layout_lanes(m, &err);
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
