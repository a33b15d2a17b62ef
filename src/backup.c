/* backup.c: see backup.h. */
#include "backup.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool same_rows(char **a, uint32_t na, char **b, uint32_t nb)
{
	if (na != nb)
		return false;
	if (na > 1) {
		qsort(a, na, sizeof(*a), cmp_cstr);
		qsort(b, nb, sizeof(*b), cmp_cstr);
	}
	for (uint32_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

/* The version table's rows as pg_dump wrote them: the lines of the
 * "COPY schema.table (version_num) FROM stdin;" block. */
static int dump_rows(const char *path, const char *table, char ***rows,
                     uint32_t *n, char **err)
{
	char *text;
	size_t len;
	int rc = read_file(path, &text, &len, err);
	if (rc != RT_OK)
		return rc;
	*rows = NULL;
	*n = 0;
	if (!strstr(text, "PostgreSQL database dump complete")) {
		free(text);
		return rt_err(err, RT_EFAIL, "%s: the dump is incomplete", path);
	}
	char *want = xasprintf(".%s (version_num) FROM stdin;\n", table);
	char *quoted = xasprintf(".\"%s\" (version_num) FROM stdin;\n", table);
	char *p = strstr(text, want);
	size_t skip = strlen(want);
	if (!p) {
		p = strstr(text, quoted);
		skip = strlen(quoted);
	}
	uint32_t cap = 0;
	for (char *line = p ? p + skip : NULL; line && *line;) {
		char *nl = strchr(line, '\n');
		size_t l = nl ? (size_t)(nl - line) : strlen(line);
		if (l == 2 && line[0] == '\\' && line[1] == '.')
			break;
		if (*n == cap) {
			cap = cap ? cap * 2 : 4;
			*rows = xrealloc(*rows, cap * sizeof(**rows));
		}
		(*rows)[(*n)++] = xstrndup(line, l);
		line = nl ? nl + 1 : NULL;
	}
	free(want);
	free(quoted);
	free(text);
	return RT_OK;
}

static int copy_rows(struct cli_ctx *c, const char *path, char ***rows, uint32_t *n,
                     char **err)
{
	const char *table = cli_version_table(c);
	if (c->url.backend == DB_POSTGRES)
		return dump_rows(path, table, rows, n, err);
	struct db_url u = {DB_SQLITE, (char *)path, NULL, NULL, NULL};
	struct db *copy = NULL;
	int rc = db_open(&u, table, &copy, err);
	if (rc == RT_OK)
		rc = copy->ops->read_heads(copy, rows, n, err);
	if (copy)
		db_close(copy);
	return rc;
}

int backup_run(struct cli_ctx *c, const char *dest,
               void (*progress)(void *ctx, double fraction), void *ctx,
               char **written, char **err)
{
	int rc = cli_db(c, err);
	if (rc != RT_OK)
		return rc;
	struct db *db = c->db;
	char *path;
	if (dest) {
		path = xstrdup(dest);
	} else {
		char stamp[32];
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
		const char *ext = c->url.backend == DB_SQLITE ? "db" : "sql";
		path = xasprintf("%s-%s.%s", c->url.dbname, stamp, ext);
		/* Two backups within a second get distinct names. */
		for (int k = 2; access(path, F_OK) == 0 && k < 1000; k++) {
			free(path);
			path = xasprintf("%s-%s-%d.%s", c->url.dbname, stamp, k, ext);
		}
	}
	char **heads = NULL, **copied = NULL;
	uint32_t n = 0, ncopied = 0;
	rc = db->ops->lock(db, c->lock_timeout >= 0 ? c->lock_timeout : c->cfg.lock_timeout,
	                   err);
	if (rc == RT_OK) {
		rc = db->ops->read_heads(db, &heads, &n, err);
		if (rc == RT_OK)
			rc = db->ops->backup(db, path, progress, ctx, err);
		db->ops->unlock(db);
	}
	if (rc == RT_OK)
		rc = copy_rows(c, path, &copied, &ncopied, err);
	if (rc == RT_OK && !same_rows(heads, n, copied, ncopied))
		rc = rt_err(err, RT_EFAIL,
		            "%s: verification failed: the copy's version table differs from the "
		            "database's", path);
	db_strv_free(heads, n);
	db_strv_free(copied, ncopied);
	if (rc == RT_OK)
		*written = path;
	else
		free(path);
	return rc;
}

char *backup_restore_hint(const struct cli_ctx *c, const char *path)
{
	if (c->url.backend == DB_SQLITE)
		return xasprintf("To restore: stop every writer, then copy %s over %s", path,
		                 c->url.path);
	return xasprintf("To restore: createdb NEWDB && psql -X -v ON_ERROR_STOP=1 -d NEWDB -f %s\n"
	                 "(then point the application at NEWDB, or drop and recreate %s from it)",
	                 path, c->url.dbname);
}
