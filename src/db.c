/* db.c: backend dispatch and what the backends share. */
#include "db_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <locale.h>
#include <pthread.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define HISTORY_X(name, word) [name] = word,
static const char *const dir_words[] = {HISTORY_DIR_LIST(HISTORY_X) [HISTORY_DIR_OTHER] = ""};
static const char *const outcome_words[] = {
	HISTORY_OUTCOME_LIST(HISTORY_X) [HISTORY_OUTCOME_OTHER] = ""};
#undef HISTORY_X

enum history_dir history_dir(const struct history_row *r)
{
	for (int d = 0; d < HISTORY_DIR_OTHER; d++)
		if (r->direction && strcmp(r->direction, dir_words[d]) == 0)
			return (enum history_dir)d;
	return HISTORY_DIR_OTHER;
}

enum history_outcome history_outcome(const struct history_row *r)
{
	for (int o = 0; o < HISTORY_OUTCOME_OTHER; o++)
		if (r->outcome && strcmp(r->outcome, outcome_words[o]) == 0)
			return (enum history_outcome)o;
	return HISTORY_OUTCOME_OTHER;
}

const char *history_dir_word(enum history_dir d)
{
	return dir_words[d];
}

const char *history_outcome_word(enum history_outcome o)
{
	return outcome_words[o];
}

int db_open(const struct db_url *url, const char *version_table,
            struct db **out, char **err)
{
	switch (url->backend) {
	case DB_SQLITE:
		return db_sqlite_ops.open(url, version_table, out, err);
	case DB_POSTGRES:
		return db_pg_ops.open(url, version_table, out, err);
	}
	return rt_err(err, RT_EUSAGE, "unknown database backend %d",
	              (int)url->backend);
}

void db_close(struct db *db)
{
	if (db)
		db->ops->close(db);
}

void db_strv_free(char **v, uint32_t n)
{
	if (!v)
		return;
	for (uint32_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void db_history_free(struct history_row *rows, uint32_t n)
{
	if (!rows)
		return;
	for (uint32_t i = 0; i < n; i++) {
		struct history_row *r = &rows[i];
		free(r->revision);
		free(r->direction);
		free(r->outcome);
		free(r->heads_before);
		free(r->heads_after);
		free(r->checksum);
		free(r->started_at);
		free(r->finished_at);
		free(r->db_user);
		free(r->os_user);
		free(r->host);
		free(r->retort_version);
		free(r->error);
	}
	free(rows);
}

int db_base_init(struct db *db, const struct db_ops *ops,
                 enum sql_dialect dialect, const char *version_table,
                 char **err)
{
	if (!ident_valid(version_table))
		return rt_err(err, RT_EINPUT,
		              "invalid version table name '%s': use letters, digits and _ (at most 63)",
		              version_table ? version_table : "");
	db->ops = ops;
	db->dialect = dialect;
	db->version_table = version_table;
	return RT_OK;
}

/* ---- the tables ---- */

char *db_ddl_version_table(enum sql_dialect dialect, const char *table)
{
	/* Alembic's shape, the same in both dialects */
	return xasprintf("CREATE TABLE IF NOT EXISTS \"%s\" (\n"
	                 "    version_num VARCHAR(32) NOT NULL,\n"
	                 "    CONSTRAINT \"%s_pkc\" PRIMARY KEY (version_num)\n"
	                 ")", table, table);
}

/* The ledger's columns in table order: X(field, SQLite type, PostgreSQL
 * type, kind). The kind says how a value travels: ID and DBUSER are
 * filled by the database, TIME is "YYYY-MM-DD HH:MM:SS.mmm" UTC text
 * (TIMESTAMPTZ in PostgreSQL), INT 0 means NULL. SQLite's id is the
 * rowid, one more than the largest: the ledger is never deleted from, so
 * ids only grow, without AUTOINCREMENT's sqlite_sequence row, which
 * costs every step another page written twice (a tenth of a small
 * migration's time). Ledgers created with AUTOINCREMENT keep it. pid
 * came later: ensure_tables adds it to a ledger that lacks it, and until
 * then it is read as NULL. */
#define DB_HISTORY_COLUMNS(X)                                                  \
	X(id, "INTEGER PRIMARY KEY", "BIGSERIAL PRIMARY KEY", ID)                  \
	X(revision, "VARCHAR(32) NOT NULL", "VARCHAR(32) NOT NULL", STR)           \
	X(direction, "VARCHAR(16) NOT NULL", "VARCHAR(16) NOT NULL", STR)          \
	X(outcome, "VARCHAR(16) NOT NULL", "VARCHAR(16) NOT NULL", STR)            \
	X(heads_before, "TEXT NOT NULL", "TEXT NOT NULL", STR)                     \
	X(heads_after, "TEXT NOT NULL", "TEXT NOT NULL", STR)                      \
	X(checksum, "VARCHAR(64)", "VARCHAR(64)", STR)                             \
	X(started_at, "TEXT", "TIMESTAMPTZ", TIME)                                 \
	X(finished_at, "TEXT", "TIMESTAMPTZ", TIME)                                \
	X(duration_ms, "REAL", "DOUBLE PRECISION", REAL)                           \
	X(db_user, "TEXT", "TEXT", DBUSER)                                         \
	X(os_user, "TEXT", "TEXT", STR)                                            \
	X(host, "TEXT", "TEXT", STR)                                               \
	X(retort_version, "TEXT", "TEXT", STR)                                     \
	X(error_line, "INTEGER", "INTEGER", INT)                                   \
	X(last_ok_line, "INTEGER", "INTEGER", INT)                                 \
	X(error, "TEXT", "TEXT", STR)                                              \
	X(pid, "INTEGER", "INTEGER", INT)

enum hcol_kind { HC_ID, HC_STR, HC_TIME, HC_REAL, HC_INT, HC_DBUSER };

static const struct hcol {
	const char *name;
	const char *type[2]; /* by enum sql_dialect */
	enum hcol_kind kind;
} hcols[] = {
#define HCOL(f, st, pt, k) {#f, {st, pt}, HC_##k},
	DB_HISTORY_COLUMNS(HCOL)
#undef HCOL
};

enum { DB_HISTORY_NCOLS = RT_ARRAY_LEN(hcols) };
_Static_assert(SQL_SQLITE == 0 && SQL_POSTGRES == 1, "hcol.type index");

static char *ddl_history_table(enum sql_dialect dialect)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "CREATE TABLE IF NOT EXISTS \"" DB_HISTORY_TABLE "\" (\n");
	for (size_t i = 0; i < RT_ARRAY_LEN(hcols); i++)
		sb_addf(&sb, "    %s %s%s\n", hcols[i].name, hcols[i].type[dialect],
		        i + 1 < RT_ARRAY_LEN(hcols) ? "," : "");
	sb_adds(&sb, ")");
	return sb_detach(&sb);
}

/* The n-th parameter's placeholder in the dialect. */
static void add_placeholder(struct strbuf *sb, enum sql_dialect dialect,
                            int n)
{
	sb_addf(sb, "%c%d", dialect == SQL_POSTGRES ? '$' : '?', n);
}

/* The value of column c as the n-th parameter. */
static void add_value(struct strbuf *sb, enum sql_dialect dialect, const struct hcol *c,
                      int n)
{
	if (c->kind == HC_TIME && dialect == SQL_POSTGRES) {
		/* the text carries no zone: read it as UTC whatever the
		 * session's TimeZone says */
		sb_adds(sb, "(");
		add_placeholder(sb, dialect, n);
		sb_adds(sb, "::timestamp AT TIME ZONE 'UTC')");
	} else {
		add_placeholder(sb, dialect, n);
	}
}

static const char *db_user_value(enum sql_dialect dialect)
{
	return dialect == SQL_POSTGRES ? "current_user" : "NULL";
}

/* The statement that writes a row whose parameters history_params makes:
 * an INSERT, or with update an UPDATE of the row whose id is parameter
 * ncols (the last). */
static char *history_write_sql(enum sql_dialect dialect, bool update)
{
	struct strbuf names = STRBUF_INIT, vals = STRBUF_INIT;
	int n = 0;
	for (size_t i = 0; i < RT_ARRAY_LEN(hcols); i++) {
		const struct hcol *c = &hcols[i];
		/* an overwritten row keeps the database user that wrote it */
		if (c->kind == HC_ID || (update && c->kind == HC_DBUSER))
			continue;
		if (names.len) {
			sb_adds(&names, ", ");
			if (!update)
				sb_adds(&vals, ", ");
		}
		if (update && strcmp(c->name, "last_ok_line") == 0) {
			/* never back: a statement whose answer was lost with the
			 * connection may have recorded its line after all */
			sb_addf(&names, "last_ok_line = NULLIF(%s(coalesce(last_ok_line, 0), "
			        "coalesce(CAST(", dialect == SQL_POSTGRES ? "GREATEST" : "max");
			add_value(&names, dialect, c, ++n);
			sb_adds(&names, " AS INTEGER), 0)), 0)");
			continue;
		}
		if (update) {
			sb_addf(&names, "%s = ", c->name);
			add_value(&names, dialect, c, ++n);
			continue;
		}
		sb_adds(&names, c->name);
		if (c->kind == HC_DBUSER)
			sb_adds(&vals, db_user_value(dialect));
		else
			add_value(&vals, dialect, c, ++n);
	}
	char *sql;
	if (update) {
		add_placeholder(&vals, dialect, ++n);
		sql = xasprintf("UPDATE \"" DB_HISTORY_TABLE "\" SET %s WHERE id = %s",
		                sb_str(&names), sb_str(&vals));
	} else {
		sql = xasprintf("INSERT INTO \"" DB_HISTORY_TABLE "\" (%s) VALUES (%s)",
		                sb_str(&names), sb_str(&vals));
	}
	sb_free(&names);
	sb_free(&vals);
	return sql;
}

/* Which rows history_select_sql reads. */
enum history_sel { HS_ALL, HS_REVISION, HS_OPEN };

/* has_pid: the ledger has the pid column (else NULL is read for it). */
static char *history_select_sql(enum sql_dialect dialect, enum history_sel sel,
                                bool has_pid)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "SELECT ");
	for (size_t i = 0; i < RT_ARRAY_LEN(hcols); i++) {
		const struct hcol *c = &hcols[i];
		if (i)
			sb_adds(&sb, ", ");
		if (c->kind == HC_TIME && dialect == SQL_POSTGRES)
			sb_addf(&sb, "to_char(h.%s AT TIME ZONE 'UTC', "
			        "'YYYY-MM-DD HH24:MI:SS.MS')", c->name);
		else if (!has_pid && strcmp(c->name, "pid") == 0)
			sb_adds(&sb, "NULL");
		else
			sb_addf(&sb, "h.%s", c->name);
	}
	sb_adds(&sb, " FROM \"" DB_HISTORY_TABLE "\" h");
	if (sel == HS_REVISION) {
		sb_adds(&sb, " WHERE h.revision = ");
		add_placeholder(&sb, dialect, 1);
	} else if (sel == HS_OPEN) {
		/* a row that no later row about its revision settles (see
		 * db_ops.history_open); the ledger is read whole, but only the
		 * few rows that pass the first test look further */
#define OPEN_ROW(t) "(" t ".outcome = 'started' OR (" t ".outcome = 'failed' AND " \
	t ".last_ok_line > 0))"
		sb_adds(&sb, " WHERE " OPEN_ROW("h") " AND h.direction IN ('upgrade', 'downgrade')"
		        " AND NOT EXISTS (SELECT 1 FROM \"" DB_HISTORY_TABLE "\" s"
		        " WHERE s.revision = h.revision AND s.id > h.id"
		        " AND s.direction IN ('upgrade', 'downgrade', 'stamp', 'resolve')"
		        " AND (s.outcome IN ('ok', 'applied', 'reverted') OR " OPEN_ROW("s") "))");
#undef OPEN_ROW
	}
	sb_adds(&sb, " ORDER BY h.id");
	return sb_detach(&sb);
}

/* Numbers cross the wire as text in the C locale, whatever LC_NUMERIC the
 * console has set. */
static locale_t c_numeric;
static pthread_once_t c_numeric_once = PTHREAD_ONCE_INIT;

static void c_numeric_init(void)
{
	c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

/* Made once, whichever of a fleet's threads asks first. */
static locale_t c_numeric_locale(void)
{
	pthread_once(&c_numeric_once, c_numeric_init);
	return c_numeric;
}

/* The parameters of history_write_sql's statement (an UPDATE's id last,
 * when row->id is set); v[i] NULL means SQL NULL. The strings are
 * borrowed from row or point into the struct's own buffers. */
struct history_params {
	const char *v[DB_HISTORY_NCOLS];
	char num[DB_HISTORY_NCOLS][32];
};

static int history_params(const struct history_row *row,
                          struct history_params *p)
{
	int i = 0, k = 0;
	locale_t c = c_numeric_locale(), old = c ? uselocale(c) : (locale_t)0;
#define ENC_ID(f)
#define ENC_DBUSER(f)
#define ENC_STR(f) { p->v[i++] = row->f; }
#define ENC_TIME(f) ENC_STR(f)
#define ENC_REAL(f) { \
	snprintf(p->num[k], sizeof p->num[k], "%.17g", row->f); \
	p->v[i++] = p->num[k++]; }
#define ENC_INT(f) { \
	snprintf(p->num[k], sizeof p->num[k], "%" PRId64, row->f); \
	p->v[i++] = row->f ? p->num[k] : NULL; k++; }
#define ENC(f, st, pt, kind) ENC_##kind(f)
	DB_HISTORY_COLUMNS(ENC)
#undef ENC
#undef ENC_ID
#undef ENC_DBUSER
#undef ENC_STR
#undef ENC_TIME
#undef ENC_REAL
#undef ENC_INT
	if (row->id) {
		snprintf(p->num[k], sizeof p->num[k], "%" PRId64, row->id);
		p->v[i++] = p->num[k++];
	}
	if (c)
		uselocale(old);
	return i;
}

static void history_row_from_text(struct history_row *row,
                                  const char *const *v)
{
	int i = 0;
	locale_t c = c_numeric_locale(), old = c ? uselocale(c) : (locale_t)0;
	memset(row, 0, sizeof *row);
#define DEC_INT(f) { row->f = v[i] ? strtoll(v[i], NULL, 10) : 0; i++; }
#define DEC_ID(f) DEC_INT(f)
#define DEC_REAL(f) { row->f = v[i] ? strtod(v[i], NULL) : 0; i++; }
#define DEC_STR(f) { row->f = v[i] ? xstrdup(v[i]) : NULL; i++; }
#define DEC_TIME(f) DEC_STR(f)
#define DEC_DBUSER(f) DEC_STR(f)
#define DEC(f, st, pt, kind) DEC_##kind(f)
	DB_HISTORY_COLUMNS(DEC)
#undef DEC
#undef DEC_INT
#undef DEC_ID
#undef DEC_REAL
#undef DEC_STR
#undef DEC_TIME
#undef DEC_DBUSER
	if (c)
		uselocale(old);
}

/* ---- result arrays ---- */

void db_strv_push(struct db_strv *sv, const char *s)
{
	if (sv->n == sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 4;
		sv->v = xrealloc(sv->v, sv->cap * sizeof *sv->v);
	}
	sv->v[sv->n++] = xstrdup(s);
}

void db_strv_take(struct db_strv *sv, char ***v, uint32_t *n)
{
	*v = sv->v;
	*n = sv->n;
	memset(sv, 0, sizeof *sv);
}

bool db_strv_remove(struct db_strv *sv, const char *s)
{
	for (uint32_t i = 0; i < sv->n; i++) {
		if (strcmp(sv->v[i], s) == 0) {
			free(sv->v[i]);
			memmove(&sv->v[i], &sv->v[i + 1],
			        (sv->n - i - 1) * sizeof *sv->v);
			sv->n--;
			return true;
		}
	}
	return false;
}

/* ---- the table operations of connected backends ---- */

static const struct db_query *query(struct db *db)
{
	return ((struct db_online *)db)->query;
}

static void found_row(void *ctx, const char *const *cols, int ncols)
{
	*(bool *)ctx = true;
}

/* Whether the ledger (known to exist) has its pid column. */
static int ledger_has_pid(struct db *db, bool *has, char **err)
{
	struct db_online *on = (struct db_online *)db;
	if (on->ledger_has_pid) {
		*has = true;
		return RT_OK;
	}
	*has = false;
	const char *sql = db->dialect == SQL_POSTGRES
		? "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('\"" DB_HISTORY_TABLE "\"') "
		  "AND attname = 'pid' AND NOT attisdropped"
		: "SELECT 1 FROM pragma_table_info('" DB_HISTORY_TABLE "') WHERE name = 'pid'";
	int rc = on->query->run(db, sql, NULL, 0, found_row, has, NULL, err);
	if (rc == RT_OK)
		on->ledger_has_pid = *has;
	return rc;
}

int db_online_ensure_tables(struct db *db, char **err)
{
	char *ddl[2] = {db_ddl_version_table(db->dialect, db->version_table),
	                ddl_history_table(db->dialect)};
	int rc = RT_OK;
	for (size_t i = 0; i < RT_ARRAY_LEN(ddl) && rc == RT_OK; i++)
		rc = db->ops->exec(db, ddl[i], err);
	for (size_t i = 0; i < RT_ARRAY_LEN(ddl); i++)
		free(ddl[i]);
	/* a ledger an older version created: the same rows, one column more */
	bool has = false;
	if (rc == RT_OK)
		rc = ledger_has_pid(db, &has, err);
	if (rc == RT_OK && !has) {
		rc = db->ops->exec(db, "ALTER TABLE \"" DB_HISTORY_TABLE "\" ADD COLUMN pid INTEGER",
		                   err);
		if (rc == RT_OK)
			((struct db_online *)db)->ledger_has_pid = true;
	}
	return rc;
}

static void add_head(void *ctx, const char *const *cols, int ncols)
{
	db_strv_push(ctx, ncols > 0 && cols[0] ? cols[0] : "");
}

int db_online_read_heads(struct db *db, char ***revs, uint32_t *n,
                         char **err)
{
	bool exists = false;
	int rc = query(db)->table_exists(db, db->version_table, &exists, err);
	struct db_strv heads = {0};
	if (rc == RT_OK && exists) {
		char *sql = xasprintf("SELECT version_num FROM \"%s\" ORDER BY version_num",
		                      db->version_table);
		rc = query(db)->run(db, sql, NULL, 0, add_head, &heads, NULL, err);
		free(sql);
	}
	if (rc != RT_OK) {
		db_strv_free(heads.v, heads.n);
		return rc;
	}
	db_strv_take(&heads, revs, n);
	return RT_OK;
}

/* A version-table statement: fmt has a %s for the table and, when rev is
 * given, a %s for its placeholder. */
static int version_stmt(struct db *db, const char *fmt, const char *rev,
                        long *changes, char **err)
{
	struct strbuf p1 = STRBUF_INIT;
	add_placeholder(&p1, db->dialect, 1);
	char *sql = xasprintf(fmt, db->version_table, sb_str(&p1));
	int rc = query(db)->run(db, sql, &rev, rev ? 1 : 0, NULL, NULL, changes,
	                        err);
	free(sql);
	sb_free(&p1);
	return rc;
}

int db_online_version_insert(struct db *db, const char *rev, char **err)
{
	return version_stmt(db, "INSERT INTO \"%s\" (version_num) VALUES (%s)",
	                    rev, NULL, err);
}

int db_online_version_delete(struct db *db, const char *rev, char **err)
{
	long changes = 0;
	int rc = version_stmt(db, "DELETE FROM \"%s\" WHERE version_num = %s", rev,
	                      &changes, err);
	/* as Alembic does: a row that is not there means the table and the
	 * plan disagree, and going on would hide it */
	if (rc == RT_OK && changes != 1)
		rc = rt_err(err, RT_EDB,
		            "expected to delete one row for '%s' from %s; %ld found",
		            rev, db->version_table, changes);
	return rc;
}

int db_online_version_purge(struct db *db, char **err)
{
	return version_stmt(db, "DELETE FROM \"%s\"", NULL, NULL, err);
}

int db_online_history_insert(struct db *db, const struct history_row *row,
                             char **err)
{
	struct history_params p;
	int nargs = history_params(row, &p);
	char *sql = history_write_sql(db->dialect, row->id != 0);
	int rc = query(db)->run(db, sql, p.v, nargs, NULL, NULL, NULL, err);
	free(sql);
	return rc;
}

static void take_id(void *ctx, const char *const *cols, int ncols)
{
	if (ncols > 0 && cols[0])
		*(int64_t *)ctx = strtoll(cols[0], NULL, 10);
}

int db_online_history_start(struct db *db, const struct history_row *row,
                            int64_t *id, char **err)
{
	struct history_row r = *row;
	r.id = 0;
	struct history_params p;
	int nargs = history_params(&r, &p);
	char *ins = history_write_sql(db->dialect, false);
	char *sql = xasprintf("%s RETURNING id", ins);
	int64_t got = 0;
	int rc = query(db)->run(db, sql, p.v, nargs, take_id, &got, NULL, err);
	if (rc == RT_OK && got <= 0)
		rc = rt_err(err, RT_EDB, "the ledger gave the new row no id");
	if (rc == RT_OK)
		*id = got;
	free(sql);
	free(ins);
	return rc;
}

char *db_history_progress_sql(int64_t id, int64_t line, double ms)
{
	return xasprintf("UPDATE \"" DB_HISTORY_TABLE "\" SET last_ok_line = %" PRId64
	                 ", duration_ms = %lld WHERE id = %" PRId64,
	                 line, (long long)(ms + 0.5), id);
}

int db_online_exec_noted(struct db *db, const char *sql, int64_t id,
                         int64_t line, double ms, bool *ran, char **err)
{
	*ran = false;
	int rc = db->ops->exec(db, sql, err);
	if (rc != RT_OK)
		return rc;
	*ran = true;
	char *note = db_history_progress_sql(id, line, ms);
	char *why = NULL;
	rc = query(db)->run(db, note, NULL, 0, NULL, NULL, NULL, &why);
	if (rc != RT_OK)
		rt_err(err, rc, "it ran, but the ledger could not record it: %s",
		       why ? why : "unknown error");
	free(why);
	free(note);
	return rc;
}

/* The counts of deleted rows that step_record's statement returns. */
struct deleted {
	int n;
	long counts[8];
};

static void take_deleted(void *ctx, const char *const *cols, int ncols)
{
	struct deleted *d = ctx;
	for (int i = 0; i < ncols && i < (int)RT_ARRAY_LEN(d->counts); i++)
		d->counts[i] = cols[i] ? strtol(cols[i], NULL, 10) : 0;
	d->n = ncols;
}

/* step_record's fallback: the statements one by one. */
static int step_one_by_one(struct db *db, const char *const *del, uint32_t ndel,
                           const char *const *ins, uint32_t nins,
                           const struct history_row *row, char **err)
{
	int rc = RT_OK;
	for (uint32_t i = 0; i < ndel && rc == RT_OK; i++)
		rc = db_online_version_delete(db, del[i], err);
	for (uint32_t i = 0; i < nins && rc == RT_OK; i++)
		rc = db_online_version_insert(db, ins[i], err);
	return rc == RT_OK ? db_online_history_insert(db, row, err) : rc;
}

int db_online_step_record(struct db *db, const char *const *del, uint32_t ndel,
                          const char *const *ins, uint32_t nins,
                          const struct history_row *row, char **err)
{
	if ((ndel == 0 && nins == 0) || ndel > RT_ARRAY_LEN(((struct deleted *)0)->counts))
		return step_one_by_one(db, del, ndel, ins, nins, row, err);
	/* WITH d0 AS (DELETE … RETURNING 1), i0 AS (INSERT …) INSERT INTO
	 * the ledger … RETURNING (SELECT count(*) FROM d0), …: every part
	 * sees the same snapshot, and the rows deleted are counted. */
	struct history_params p;
	int nh = history_params(row, &p);
	const char **args = xcalloc((size_t)nh + ndel + nins, sizeof(*args));
	memcpy(args, p.v, (size_t)nh * sizeof(*args));
	int k = nh;
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "WITH ");
	for (uint32_t i = 0; i < ndel; i++) {
		args[k++] = del[i];
		sb_addf(&sb, "d%u AS (DELETE FROM \"%s\" WHERE version_num = ", i, db->version_table);
		add_placeholder(&sb, db->dialect, k);
		sb_adds(&sb, " RETURNING 1), ");
	}
	for (uint32_t i = 0; i < nins; i++) {
		args[k++] = ins[i];
		sb_addf(&sb, "i%u AS (INSERT INTO \"%s\" (version_num) VALUES (", i, db->version_table);
		add_placeholder(&sb, db->dialect, k);
		sb_adds(&sb, ")), ");
	}
	sb.len -= 2;  /* the last ", " */
	char *hist = history_write_sql(db->dialect, row->id != 0);
	sb_addf(&sb, " %s RETURNING ", hist);
	free(hist);
	for (uint32_t i = 0; i < ndel; i++)
		sb_addf(&sb, "%s(SELECT count(*) FROM d%u)", i ? ", " : "", i);
	if (!ndel)
		sb_adds(&sb, "1");
	struct deleted d = {0};
	int rc = query(db)->run(db, sb_str(&sb), args, k, take_deleted, &d, NULL, err);
	for (uint32_t i = 0; i < ndel && rc == RT_OK; i++)
		if (d.n != (int)ndel || d.counts[i] != 1)
			rc = rt_err(err, RT_EDB,
			            "expected to delete one row for '%s' from %s; %ld found",
			            del[i], db->version_table, d.n == (int)ndel ? d.counts[i] : 0L);
	sb_free(&sb);
	free(args);
	return rc;
}

struct rowv {
	struct history_row *v;
	uint32_t n;
	uint32_t cap;
};

static void add_history_row(void *ctx, const char *const *cols, int ncols)
{
	struct rowv *rv = ctx;
	if (ncols != DB_HISTORY_NCOLS)
		return;
	if (rv->n == rv->cap) {
		rv->cap = rv->cap ? rv->cap * 2 : 8;
		rv->v = xrealloc(rv->v, rv->cap * sizeof *rv->v);
	}
	history_row_from_text(&rv->v[rv->n++], cols);
}

static int read_rows(struct db *db, enum history_sel sel, const char *revision,
                     struct history_row **rows, uint32_t *n, char **err)
{
	bool exists = false, has_pid = false;
	int rc = query(db)->table_exists(db, DB_HISTORY_TABLE, &exists, err);
	struct rowv out = {0};
	if (rc == RT_OK && exists)
		rc = ledger_has_pid(db, &has_pid, err);
	if (rc == RT_OK && exists) {
		char *sql = history_select_sql(db->dialect, sel, has_pid);
		rc = query(db)->run(db, sql, &revision, revision ? 1 : 0,
		                    add_history_row, &out, NULL, err);
		free(sql);
	}
	if (rc != RT_OK) {
		db_history_free(out.v, out.n);
		return rc;
	}
	*rows = out.v;
	*n = out.n;
	return RT_OK;
}

int db_online_history_read(struct db *db, const char *revision,
                           struct history_row **rows, uint32_t *n,
                           char **err)
{
	return read_rows(db, revision ? HS_REVISION : HS_ALL, revision, rows, n, err);
}

int db_online_history_open(struct db *db, struct history_row **rows,
                           uint32_t *n, char **err)
{
	return read_rows(db, HS_OPEN, NULL, rows, n, err);
}

void db_online_note(struct db *db, const char *text)
{
}

/* ---- reading any query ---- */

struct rows_acc {
	struct db_rows *r;
	size_t cap;
};

static void add_row(void *ctx, const char *const *cols, int ncols)
{
	struct rows_acc *acc = ctx;
	struct db_rows *r = acc->r;
	r->ncols = ncols;
	size_t need = ((size_t)r->nrows + 1) * (size_t)ncols;
	if (need > acc->cap) {
		acc->cap = need * 2;
		r->cells = xrealloc(r->cells, acc->cap * sizeof *r->cells);
	}
	for (int i = 0; i < ncols; i++)
		r->cells[(size_t)r->nrows * (size_t)ncols + (size_t)i] =
			cols[i] ? xstrdup(cols[i]) : NULL;
	r->nrows++;
}

int db_select(struct db *db, const char *sql, const char *const *args,
              int nargs, struct db_rows *out, char **err)
{
	memset(out, 0, sizeof *out);
	if (db->ops != &db_sqlite_ops && db->ops != &db_pg_ops)
		return rt_err(err, RT_EUSAGE, "the %s backend cannot be read",
		              db->ops->name);
	struct rows_acc acc = {out, 0};
	int rc = query(db)->run(db, sql, args, nargs, add_row, &acc, NULL, err);
	if (rc != RT_OK)
		db_rows_free(out);
	return rc;
}

void db_rows_free(struct db_rows *r)
{
	for (size_t i = 0; i < (size_t)r->nrows * (size_t)r->ncols; i++)
		free(r->cells[i]);
	free(r->cells);
	memset(r, 0, sizeof *r);
}

/* ---- the lock ---- */

void db_host_name(char *buf, size_t size)
{
	if (gethostname(buf, size) != 0 || !buf[0])
		snprintf(buf, size, "localhost");
	buf[size - 1] = '\0';
}

char *db_holder_line(void)
{
	char host[256], since[32];
	db_host_name(host, sizeof host);

	const char *user = NULL;
	char name[256];
	if (os_user_name(name, sizeof name))
		user = name;
	else if (getenv("USER") && *getenv("USER"))
		user = getenv("USER");
	char uid[24];
	if (!user) {
		snprintf(uid, sizeof uid, "uid %ld", (long)geteuid());
		user = uid;
	}

	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(since, sizeof since, "%Y-%m-%d %H:%M:%S", &tm);
	return xasprintf("pid %ld on %s as %s since %s", (long)getpid(), host,
	                 user, since);
}

int db_lock_timeout_err(char **err, const char *holder, double timeout)
{
	if (holder)
		return rt_err(err, RT_ELOCK,
		              "the migration lock is held by %s (waited %g s)",
		              holder, timeout);
	return rt_err(err, RT_ELOCK,
	              "the migration lock could not be taken within %g s",
	              timeout);
}

int db_lock_cancelled_err(char **err, const char *holder, double waited)
{
	if (holder)
		return rt_err(err, RT_EINTR, "cancelled after %.0f s of waiting for the migration "
		              "lock, held by %s; nothing was done", waited, holder);
	return rt_err(err, RT_EINTR, "cancelled after %.0f s of waiting for the migration lock; "
	              "nothing was done", waited);
}

void db_waiting_start(struct db_waiting *wt, const struct db_wait *w,
                      db_holder_fn *holder_fn, void *holder_ctx)
{
	memset(wt, 0, sizeof *wt);
	wt->w = w;
	wt->holder_fn = holder_fn;
	wt->holder_ctx = holder_ctx;
	wt->start = now_monotonic();
	wt->told = wt->start;
	wt->asked = -1;
}

double db_waiting_elapsed(const struct db_waiting *wt)
{
	return now_monotonic() - wt->start;
}

const char *db_waiting_holder(struct db_waiting *wt)
{
	double now = now_monotonic();
	if (wt->holder_fn && (wt->asked < 0 || now - wt->asked >= DB_WAIT_HOLDER)) {
		free(wt->holder);
		wt->holder = wt->holder_fn(wt->holder_ctx);
		wt->asked = now;
	}
	return wt->holder;
}

int db_waiting_tick(struct db_waiting *wt)
{
	double now = now_monotonic();
	if (now - wt->start >= wt->w->timeout)
		return RT_ELOCK;
	if (wt->w->on_wait && now - wt->told >= DB_WAIT_TELL) {
		wt->told = now;
		wt->shown = true;
		if (!wt->w->on_wait(wt->w->ctx, now - wt->start, db_waiting_holder(wt)))
			return RT_EINTR;
	}
	return RT_OK;
}

void db_waiting_end(struct db_waiting *wt)
{
	if (wt->shown && wt->w->on_done)
		wt->w->on_done(wt->w->ctx);
	free(wt->holder);
	wt->holder = NULL;
	wt->shown = false;
}

void db_sleep(double seconds)
{
	struct timespec ts;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

int db_backup_create(const char *dest, int *fd, char **err)
{
	/* O_EXCL: refusing to overwrite must not race with another writer.
	 * 0600: a backup holds all the data, whoever may read the original. */
	int f = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (f < 0) {
		if (errno == EEXIST)
			return rt_err(err, RT_EINPUT,
			              "%s: already exists; a backup never overwrites a file",
			              dest);
		return rt_err(err, RT_EINPUT, "%s: %s", dest, strerror(errno));
	}
	*fd = f;
	return RT_OK;
}
