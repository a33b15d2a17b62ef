/* schema_scratch.c: schemas that exist only as SQL (schema.sql, a history
 * of migrations) are applied to a scratch database of the live database's
 * backend and read back, so that the server itself parses them; and the
 * two uses of that: drift (check) and autogenerate (revision).
 *
 * A SQLite scratch database lives in memory. A PostgreSQL one is a new
 * database on the same server, created from template0 with the live
 * database's encoding and locale and the live session's search path, and
 * dropped again on every path out, errors included. Statements that
 * would act beyond the scratch database (sqlscope.h: roles, tablespaces,
 * databases, the server's configuration, another database file) are left
 * out, each named in the caller's report. */
#include "schema_impl.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "graph.h"
#include "plan.h"
#include "run.h"
#include "script.h"
#include "sqlscope.h"

struct scratch {
	struct db *db;             /* the scratch database */
	struct db *live;           /* borrowed: creates and drops it (PostgreSQL) */
	char *dbname;              /* PostgreSQL: the database to drop, or NULL */
	int server_version;
};

static void scratch_close(struct scratch *sc)
{
	db_close(sc->db);
	sc->db = NULL;
	if (!sc->dbname)
		return;
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "DROP DATABASE IF EXISTS ");
	schema_quote(&sb, sc->dbname);
	/* nothing else should be connected; make sure of it where possible */
	if (sc->server_version >= 130000)
		sb_adds(&sb, " WITH (FORCE)");
	char *ignored = NULL;
	sc->live->ops->exec(sc->live, sb_str(&sb), &ignored);
	free(ignored);
	sb_free(&sb);
	free(sc->dbname);
	sc->dbname = NULL;
}

static int scratch_open_pg(const struct schema_live *lv, struct scratch *sc, char **err)
{
	struct db *live = lv->db;
	struct db_rows rows;
	int rc = db_select(live,
		"SELECT current_schema(), current_setting('search_path'),"
		" pg_encoding_to_char(d.encoding), d.datcollate, d.datctype,"
		" current_setting('server_version_num')"
		" FROM pg_database d WHERE d.datname = current_database()", NULL, 0, &rows, err);
	if (rc != RT_OK)
		return rc;
	if (rows.nrows != 1 || !db_cell(&rows, 0, 0)) {
		db_rows_free(&rows);
		return rt_err(err, RT_EFAIL, "no schema of the search path exists in %s",
		              lv->url->display);
	}
	char rnd[13];
	rc = script_new_rev(rnd, err);
	if (rc != RT_OK) {
		db_rows_free(&rows);
		return rc;
	}
	sc->live = live;
	sc->server_version = atoi(db_cell(&rows, 0, 5));
	char *name = xasprintf("retort_scratch_%ld_%s", (long)getpid(), rnd);
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "CREATE DATABASE ");
	schema_quote(&sb, name);
	sb_adds(&sb, " TEMPLATE template0 ENCODING ");
	schema_literal(&sb, db_cell(&rows, 0, 2));
	sb_adds(&sb, " LC_COLLATE ");
	schema_literal(&sb, db_cell(&rows, 0, 3));
	sb_adds(&sb, " LC_CTYPE ");
	schema_literal(&sb, db_cell(&rows, 0, 4));
	char *dberr = NULL;
	rc = live->ops->exec(live, sb_str(&sb), &dberr);
	if (rc != RT_OK) {
		rt_err(err, rc, "cannot create a scratch database to compare schemas in "
		       "(the user needs CREATEDB): %s", dberr);
		free(dberr);
		free(name);
		sb_free(&sb);
		db_rows_free(&rows);
		return rc;
	}
	sc->dbname = name;
	char *conninfo = NULL;
	rc = db_pg_conninfo_with_dbname(lv->url->conninfo, name, &conninfo, err);
	struct db_url url = {0};
	url.backend = DB_POSTGRES;
	url.conninfo = conninfo;
	url.display = name;
	url.dbname = name;
	if (rc == RT_OK)
		rc = db_open(&url, lv->version_table, &sc->db, err);
	free(conninfo);
	/* the live session's first schema, and its search path */
	const char *nsp = db_cell(&rows, 0, 0);
	if (rc == RT_OK && strcmp(nsp, "public") != 0) {
		sb_reset(&sb);
		sb_adds(&sb, "CREATE SCHEMA IF NOT EXISTS ");
		schema_quote(&sb, nsp);
		rc = sc->db->ops->exec(sc->db, sb_str(&sb), err);
	}
	if (rc == RT_OK) {
		const char *path = db_cell(&rows, 0, 1);
		struct db_rows ignored;
		rc = db_select(sc->db, "SELECT set_config('search_path', $1, false)", &path, 1,
		               &ignored, err);
		db_rows_free(&ignored);
	}
	sb_free(&sb);
	db_rows_free(&rows);
	if (rc != RT_OK)
		scratch_close(sc);
	return rc;
}

/* The replay's filter: whether a statement is left out, each one that is
 * added to out (may be NULL) as "FILE:LINE: …". */
struct replay_skips {
	enum sql_dialect dialect;
	struct strbuf *out;
};

static bool skip_beyond(void *ctx, const char *path, uint32_t line, const char *sql,
                        size_t len)
{
	struct replay_skips *rs = ctx;
	char what[96];
	const char *scope = sqlscope_beyond(sql, len, rs->dialect, what, sizeof what);
	if (scope && rs->out)
		sb_addf(rs->out, "%s:%u: not replayed on the scratch database: %s acts on %s\n",
		        path, line, what, scope);
	return scope != NULL;
}

static int scratch_open(const struct schema_live *lv, struct scratch *sc, char **err)
{
	memset(sc, 0, sizeof *sc);
	if (lv->db->dialect == SQL_POSTGRES)
		return scratch_open_pg(lv, sc, err);
	struct db_url url = {0};
	url.backend = DB_SQLITE;
	url.path = (char *)":memory:";
	url.display = (char *)":memory:";
	url.dbname = (char *)"scratch";
	return db_open(&url, lv->version_table, &sc->db, err);
}

int schema_load_sql(const struct schema_live *lv, const char *sql, const char *origin,
                    struct strbuf *skipped, struct schema **out, char **err)
{
	struct scratch sc;
	int rc = scratch_open(lv, &sc, err);
	if (rc != RT_OK)
		return rc;
	struct sql_stmt *stmts = NULL;
	uint32_t n = 0;
	char *lexerr = NULL;
	rc = sqllex_split(sql, strlen(sql), sc.db->dialect, 1, &stmts, &n, &lexerr);
	if (rc != RT_OK) {
		rt_err(err, RT_EINPUT, "%s: %s", origin, lexerr);
		free(lexerr);
	}
	struct replay_skips rs = {sc.db->dialect, skipped};
	for (uint32_t i = 0; rc == RT_OK && i < n; i++) {
		if (skip_beyond(&rs, origin, stmts[i].line, sql + stmts[i].off, stmts[i].len))
			continue;
		char *one = xstrndup(sql + stmts[i].off, stmts[i].len);
		char *dberr = NULL;
		if (sc.db->ops->exec(sc.db, one, &dberr) != RT_OK) {
			rc = rt_err(err, RT_EINPUT, "%s:%u: %s", origin, stmts[i].line, dberr);
			free(dberr);
		}
		free(one);
	}
	free(stmts);
	if (rc == RT_OK)
		rc = schema_read(sc.db, lv->version_table, out, err);
	scratch_close(&sc);
	return rc;
}

int schema_load_migrations(const struct schema_live *lv, const struct graph *g,
                           const char *const *heads, uint32_t n, struct strbuf *skipped,
                           struct schema **out, char **err)
{
	int rc = RT_OK;
	struct revset target = {0};
	target.v = xcalloc(n + 1, sizeof *target.v);
	for (uint32_t i = 0; i < n && rc == RT_OK; i++) {
		int32_t x = graph_find(g, heads[i]);
		if (x < 0)
			rc = rt_err(err, RT_EINPUT, "revision '%s' is not defined by any script", heads[i]);
		else
			target.v[target.n++] = (uint32_t)x;
	}
	struct plan *p = NULL;
	if (rc == RT_OK && target.n)
		rc = plan_build(g, PLAN_UPGRADE, NULL, 0, &target, false, &p, err);
	revset_free(&target);
	if (rc != RT_OK)
		return rc;
	if (!p) {
		/* nothing applied: nothing to make */
		*out = schema_new(lv->db->dialect);
		return RT_OK;
	}
	struct scratch sc;
	rc = scratch_open(lv, &sc, err);
	if (rc == RT_OK) {
		struct run_opts o = {0};
		o.mode = TXN_PER_MIGRATION;
		char *runerr = NULL;
		struct replay_skips rs = {sc.db->dialect, skipped};
		rc = run_plan_skipping(sc.db, g, p, &o, skip_beyond, &rs, &runerr);
		if (rc != RT_OK) {
			rt_err(err, rc, "applying the migrations to a scratch database failed: %s",
			       runerr ? runerr : "");
			free(runerr);
		}
	}
	if (rc == RT_OK)
		rc = schema_read(sc.db, lv->version_table, out, err);
	if (sc.db)
		scratch_close(&sc);
	plan_free(p);
	return rc;
}

static int read_target(const struct schema_live *lv, const char *path, struct strbuf *skipped,
                       struct schema **out, char **err)
{
	char *text = NULL;
	size_t len;
	int rc = read_file(path, &text, &len, err);
	if (rc == RT_OK)
		rc = schema_load_sql(lv, text, path, skipped, out, err);
	free(text);
	return rc;
}

void schema_drift_result_free(struct schema_drift_result *r)
{
	schema_deltas_free(&r->migrations);
	schema_deltas_free(&r->declared);
	free(r->declared_label);
	schema_free(r->live);
	schema_free(r->mig);
	schema_free(r->target);
	memset(r, 0, sizeof *r);
}

const struct schema_delta *schema_drift_at(const struct schema_drift_result *r, uint32_t i,
                                           const char **against)
{
	if (i < r->migrations.n) {
		*against = "from the migrations";
		return &r->migrations.v[i];
	}
	*against = r->declared_label;
	return &r->declared.v[i - r->migrations.n];
}

void schema_drift_lines(const struct schema_drift_result *r, struct strbuf *out)
{
	for (uint32_t i = 0; i < r->count; i++) {
		const char *against;
		const struct schema_delta *x = schema_drift_at(r, i, &against);
		schema_delta_line(x, "in the database", against, out);
		sb_addc(out, '\n');
	}
}

/* One line per object that some of the schemas hold and none compares,
 * naming where it is. */
static void list_uncompared(const struct schema *const *s, const char *const *labels,
                            uint32_t n, struct strbuf *out)
{
	uint32_t *at = xcalloc(n + 1, sizeof *at);
	for (;;) {
		const char *next = NULL;
		for (uint32_t k = 0; k < n; k++)
			if (s[k] && at[k] < s[k]->nuncompared &&
			    (!next || strcmp(s[k]->uncompared[at[k]], next) < 0))
				next = s[k]->uncompared[at[k]];
		if (!next)
			break;
		sb_addf(out, "not compared: %s (", next);
		bool first = true;
		for (uint32_t k = 0; k < n; k++) {
			if (!s[k] || at[k] >= s[k]->nuncompared || strcmp(s[k]->uncompared[at[k]], next) != 0)
				continue;
			sb_addf(out, "%s%s", first ? "" : ", ", labels[k]);
			first = false;
			/* the same name twice in one list is one line */
			while (at[k] < s[k]->nuncompared && strcmp(s[k]->uncompared[at[k]], next) == 0)
				at[k]++;
		}
		sb_adds(out, ")\n");
	}
	free(at);
}

int schema_drift(const struct schema_live *lv, const struct graph *g, const char *schema_path,
                 struct schema_drift_result *out, struct strbuf *skipped,
                 struct strbuf *uncompared, char **err)
{
	memset(out, 0, sizeof *out);
	char **heads = NULL;
	uint32_t n = 0;
	struct schema *live = NULL, *mig = NULL, *target = NULL;
	int rc = lv->db->ops->read_heads(lv->db, &heads, &n, err);
	if (rc == RT_OK)
		rc = schema_read(lv->db, lv->version_table, &live, err);
	bool known = true;
	for (uint32_t i = 0; i < n; i++)
		known &= graph_find(g, heads[i]) >= 0;
	/* Revisions another tool runs (Alembic's) are not replayed on a
	 * scratch database: their SQL is not in the files. */
	bool delegated = false;
	for (uint32_t k = 0; k < g->n && !delegated; k++)
		delegated = script_format_of(&g->nodes[k].s)->exec != SCRIPT_EXEC_SQL;
	if (delegated && skipped)
		sb_adds(skipped, "The schema the migrations make is not compared: Alembic runs them, "
		        "so their SQL is not in the files.\n");
	known &= !delegated;
	/* a revision no script defines: check reports that; the migrations
	 * cannot say what the schema should be */
	if (rc == RT_OK && known)
		rc = schema_load_migrations(lv, g, (const char *const *)heads, n, skipped, &mig, err);
	if (rc == RT_OK && schema_path)
		rc = read_target(lv, schema_path, skipped, &target, err);
	if (rc == RT_OK && mig)
		schema_diff(live, mig, &out->migrations);
	out->declared_label = schema_path ? xasprintf("from %s", schema_path) : NULL;
	if (rc == RT_OK && target)
		schema_diff(live, target, &out->declared);
	out->count = out->migrations.n + out->declared.n;
	if (rc == RT_OK && uncompared) {
		const struct schema *const all[] = {live, mig, target};
		const char *const labels[] = {"in the database", "from the migrations",
		                              out->declared_label};
		list_uncompared(all, labels, 3, uncompared);
	}
	/* the differences point into the schemas: they live with them */
	out->live = live;
	out->mig = mig;
	out->target = target;
	db_strv_free(heads, n);
	return rc;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* PostgreSQL's server_version_num, 0 for SQLite. */
static int server_version(struct db *db, char **err, int *out)
{
	*out = 0;
	if (db->dialect != SQL_POSTGRES)
		return RT_OK;
	struct db_rows rows;
	int rc = db_select(db, "SELECT current_setting('server_version_num')", NULL, 0, &rows, err);
	if (rc == RT_OK && rows.nrows == 1 && db_cell(&rows, 0, 0))
		*out = atoi(db_cell(&rows, 0, 0));
	db_rows_free(&rows);
	return rc;
}

int schema_autogenerate(const struct schema_live *lv, const char *const *heads_in, uint32_t n,
                        const char *const *base, uint32_t nbase, const char *schema_path,
                        struct strbuf *skipped, struct schema_migration *out, char **err)
{
	int rc = RT_OK;
	const char **heads = xcalloc(n + 1, sizeof *heads);
	if (n)
		memcpy(heads, heads_in, n * sizeof *heads);
	const char **want = xcalloc(nbase + 1, sizeof *want);
	memcpy(want, base, nbase * sizeof *want);
	if (nbase)
		qsort(want, nbase, sizeof *want, cmp_str);
	if (n)
		qsort(heads, n, sizeof *heads, cmp_str);
	bool same = n == nbase;
	for (uint32_t i = 0; i < n && same; i++)
		same = strcmp(heads[i], want[i]) == 0;
	if (!same) {
		struct strbuf at = STRBUF_INIT, to = STRBUF_INIT;
		for (uint32_t i = 0; i < n; i++)
			sb_addf(&at, "%s%s", i ? " " : "", heads[i]);
		for (uint32_t i = 0; i < nbase; i++)
			sb_addf(&to, "%s%s", i ? " " : "", want[i]);
		rc = rt_err(err, RT_EFAIL,
		            "the database is at %s, not at %s, which the new revision revises: "
		            "bring it there first ('retort upgrade %s'), so that the comparison "
		            "starts where the new revision does",
		            n ? sb_str(&at) : "<base>", nbase ? sb_str(&to) : "<base>",
		            nbase == 1 ? want[0] : nbase ? "heads" : "base");
		sb_free(&at);
		sb_free(&to);
	}
	free(want);
	free(heads);
	struct schema *live = NULL, *target = NULL;
	int version = 0;
	if (rc == RT_OK)
		rc = schema_read(lv->db, lv->version_table, &live, err);
	if (rc == RT_OK)
		rc = server_version(lv->db, err, &version);
	if (rc == RT_OK)
		rc = read_target(lv, schema_path, skipped, &target, err);
	if (rc == RT_OK)
		schema_migration(live, target, version, out);
	schema_free(live);
	schema_free(target);
	return rc;
}
