/* db_sqlwriter.c: the offline backend behind --sql. It never connects: it
 * writes what a connected run would execute, as Alembic's offline mode
 * does, and keeps the heads it would leave so that read_heads answers as a
 * database would. */
#include "db_impl.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

struct sqlw_db {
	struct db base;
	FILE *out;
	struct db_strv heads;
};

static struct sqlw_db *sqlw(struct db *db)
{
	return (struct sqlw_db *)db;
}

static int sqlw_open(const struct db_url *url, const char *version_table,
                     struct db **out, char **err)
{
	return rt_err(err, RT_EUSAGE,
	              "the SQL writer renders to a stream: open it with db_sqlwriter_open");
}

int db_sqlwriter_open(FILE *out, enum sql_dialect dialect,
                      const char *version_table,
                      const char *const *start_heads, uint32_t nstart,
                      struct db **db)
{
	struct sqlw_db *w = xcalloc(1, sizeof *w);
	if (db_base_init(&w->base, &db_sqlwriter_ops, dialect, version_table,
	                 NULL) != RT_OK) {
		free(w);
		return RT_EINPUT;
	}
	w->out = out;
	for (uint32_t i = 0; i < nstart; i++)
		db_strv_push(&w->heads, start_heads[i]);
	*db = &w->base;
	return RT_OK;
}

static void sqlw_close(struct db *db)
{
	struct sqlw_db *w = sqlw(db);
	db_strv_free(w->heads.v, w->heads.n);
	free(w);
}

static int sqlw_lock(struct db *db, const struct db_wait *w, char **err)
{
	return RT_OK;
}

static void sqlw_unlock(struct db *db)
{
}

static int sqlw_lock_holder(struct db *db, char **holder, char **err)
{
	*holder = NULL;
	return RT_OK;
}

static int sqlw_begin(struct db *db, char **err)
{
	fputs("BEGIN;\n", sqlw(db)->out);
	return RT_OK;
}

static int sqlw_commit(struct db *db, char **err)
{
	fputs("COMMIT;\n", sqlw(db)->out);
	return RT_OK;
}

static int sqlw_rollback(struct db *db, char **err)
{
	fputs("ROLLBACK;\n", sqlw(db)->out);
	return RT_OK;
}

static int sqlw_exec(struct db *db, const char *sql, char **err)
{
	FILE *out = sqlw(db)->out;
	size_t n = strlen(sql);
	while (n > 0 && (sql[n - 1] == ' ' || sql[n - 1] == '\t' ||
	                 sql[n - 1] == '\n' || sql[n - 1] == '\r'))
		n--;
	if (!n)
		return RT_OK;
	fwrite(sql, 1, n, out);
	if (sql[n - 1] == ';') {
		fputs("\n\n", out);
		return RT_OK;
	}
	/* a ';' on a last line that holds a -- comment would be commented out */
	const char *last_line = sql;
	for (size_t i = 0; i < n; i++)
		if (sql[i] == '\n')
			last_line = sql + i + 1;
	bool comment = false;
	for (const char *c = last_line; c + 1 < sql + n; c++)
		if (c[0] == '-' && c[1] == '-')
			comment = true;
	fputs(comment ? "\n;\n\n" : ";\n\n", out);
	return RT_OK;
}

static void sqlw_note(struct db *db, const char *text)
{
	FILE *out = sqlw(db)->out;
	const char *line = text;
	do {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		fputs("--", out);
		if (len)
			fputc(' ', out);
		fwrite(line, 1, len, out);
		fputc('\n', out);
		line = nl ? nl + 1 : NULL;
	} while (line && *line);
}

/* Only the version table: an offline run keeps no ledger. */
static int sqlw_ensure_tables(struct db *db, char **err)
{
	char *ddl = db_ddl_version_table(db->dialect, db->version_table);
	int rc = sqlw_exec(db, ddl, err);
	free(ddl);
	return rc;
}

static int sqlw_read_heads(struct db *db, char ***revs, uint32_t *n,
                           char **err)
{
	struct sqlw_db *w = sqlw(db);
	struct db_strv copy = {0};
	for (uint32_t i = 0; i < w->heads.n; i++)
		db_strv_push(&copy, w->heads.v[i]);
	db_strv_take(&copy, revs, n);
	return RT_OK;
}

/* A string literal with quotes doubled (ids are validated anyway, but
 * nothing reaches the script unquoted). */
static void put_literal(FILE *out, const char *s)
{
	fputc('\'', out);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', out);
		fputc(*s, out);
	}
	fputc('\'', out);
}

static int sqlw_version_insert(struct db *db, const char *rev, char **err)
{
	struct sqlw_db *w = sqlw(db);
	fprintf(w->out, "INSERT INTO \"%s\" (version_num) VALUES (",
	        db->version_table);
	put_literal(w->out, rev);
	fputs(");\n", w->out);
	db_strv_push(&w->heads, rev);
	return RT_OK;
}

static int sqlw_version_delete(struct db *db, const char *rev, char **err)
{
	struct sqlw_db *w = sqlw(db);
	fprintf(w->out, "DELETE FROM \"%s\" WHERE version_num = ",
	        db->version_table);
	put_literal(w->out, rev);
	fputs(";\n", w->out);
	db_strv_remove(&w->heads, rev);
	return RT_OK;
}

static int sqlw_version_purge(struct db *db, char **err)
{
	struct sqlw_db *w = sqlw(db);
	fprintf(w->out, "DELETE FROM \"%s\";\n", db->version_table);
	while (w->heads.n)
		free(w->heads.v[--w->heads.n]);
	return RT_OK;
}

static int sqlw_history_insert(struct db *db, const struct history_row *row,
                               char **err)
{
	return RT_OK;
}

static int sqlw_history_read(struct db *db, const char *revision,
                             struct history_row **rows, uint32_t *n,
                             char **err)
{
	*rows = NULL;
	*n = 0;
	return RT_OK;
}

static int sqlw_backup(struct db *db, const char *dest,
                       void (*progress)(void *ctx, double fraction), void *ctx,
                       char **err)
{
	return rt_err(err, RT_EUSAGE, "backup needs a database connection");
}

const struct db_ops db_sqlwriter_ops = {
	.name = "sql",
	.open = sqlw_open,
	.close = sqlw_close,
	.lock = sqlw_lock,
	.unlock = sqlw_unlock,
	.lock_holder = sqlw_lock_holder,
	.begin = sqlw_begin,
	.commit = sqlw_commit,
	.rollback = sqlw_rollback,
	.exec = sqlw_exec,
	.note = sqlw_note,
	.ensure_tables = sqlw_ensure_tables,
	.read_heads = sqlw_read_heads,
	.version_insert = sqlw_version_insert,
	.version_delete = sqlw_version_delete,
	.version_purge = sqlw_version_purge,
	.history_insert = sqlw_history_insert,
	.history_read = sqlw_history_read,
	.backup = sqlw_backup,
};
