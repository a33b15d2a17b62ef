/* backup.c: see backup.h. */
#include "backup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "util.h"

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

/* Reading a plain pg_dump file line by line, in pieces of DUMP_CHUNK bytes,
 * so that a dump of any size is verified in a small, fixed amount of
 * memory. A line is kept up to DUMP_LINE_KEEP bytes: every line the check
 * needs (a COPY header, "\.", a version row, the closing comment) is far
 * shorter, and the data rows that are longer are only skipped. */
#define DUMP_CHUNK (64 * 1024)
#define DUMP_LINE_KEEP (1024 * 1024)

struct dump_scan {
	const char *want, *quoted;  /* the version table's COPY header endings */
	bool in_copy, in_version, version_seen, complete;
	char **rows;
	uint32_t n, cap;
};

static bool ends_with(const char *s, size_t len, const char *end)
{
	size_t k = strlen(end);
	return len >= k && memcmp(s + len - k, end, k) == 0;
}

/* One line (without its newline); long: it had more than was kept. */
static void dump_line(struct dump_scan *ds, const char *line, size_t len, bool long_line)
{
	if (ds->in_copy) {
		/* COPY data: one row a line (newlines in values are escaped),
		 * ended by "\." */
		if (!long_line && len == 2 && line[0] == '\\' && line[1] == '.') {
			ds->in_copy = ds->in_version = false;
		} else if (ds->in_version) {
			if (ds->n == ds->cap) {
				ds->cap = ds->cap ? ds->cap * 2 : 4;
				ds->rows = xrealloc(ds->rows, ds->cap * sizeof(*ds->rows));
			}
			ds->rows[ds->n++] = xstrndup(line, len);
		}
		return;
	}
	if (long_line)
		return;
	if (len > 5 && memcmp(line, "COPY ", 5) == 0 && ends_with(line, len, " FROM stdin;")) {
		ds->in_copy = true;
		/* the first version table found, as the search path would */
		if (!ds->version_seen &&
		    (ends_with(line, len, ds->want) || ends_with(line, len, ds->quoted)))
			ds->in_version = ds->version_seen = true;
		return;
	}
	static const char done[] = "-- PostgreSQL database dump complete";
	if (len == sizeof done - 1 && memcmp(line, done, len) == 0)
		ds->complete = true;
}

/* The version table's rows as pg_dump wrote them: the lines of the
 * "COPY schema.table (version_num) FROM stdin;" block; and whether the
 * dump ends as a complete one does (its closing comment, outside any
 * COPY data). */
static int dump_rows(const char *path, const char *table, char ***rows,
                     uint32_t *n, char **err)
{
	*rows = NULL;
	*n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return rt_err(err, RT_EFAIL, "%s: %s", path, strerror(errno));
	struct dump_scan ds = {0};
	char *want = xasprintf(".%s (version_num) FROM stdin;", table);
	char *quoted = xasprintf(".\"%s\" (version_num) FROM stdin;", table);
	ds.want = want;
	ds.quoted = quoted;
	char *chunk = xmalloc(DUMP_CHUNK);
	struct strbuf line = STRBUF_INIT;
	bool long_line = false;
	int rc = RT_OK;
	for (;;) {
		ssize_t r = read(fd, chunk, DUMP_CHUNK);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = rt_err(err, RT_EFAIL, "%s: %s", path, strerror(errno));
			break;
		}
		if (r == 0)
			break;
		const char *p = chunk, *end = chunk + r;
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t k = (size_t)((nl ? nl : end) - p);
			size_t room = DUMP_LINE_KEEP - line.len;
			sb_addn(&line, p, k < room ? k : room);
			long_line |= k > room;
			if (!nl)
				break;
			dump_line(&ds, line.buf ? line.buf : "", line.len, long_line);
			sb_reset(&line);
			long_line = false;
			p = nl + 1;
		}
	}
	if (rc == RT_OK && line.len)
		dump_line(&ds, line.buf, line.len, long_line);
	close(fd);
	sb_free(&line);
	free(chunk);
	free(want);
	free(quoted);
	if (rc == RT_OK && !ds.complete)
		rc = rt_err(err, RT_EFAIL, "%s: the dump is incomplete", path);
	if (rc != RT_OK) {
		db_strv_free(ds.rows, ds.n);
		return rc;
	}
	*rows = ds.rows;
	*n = ds.n;
	return RT_OK;
}

static int copy_rows(const struct db_url *url, const char *table, const char *path,
                     char ***rows, uint32_t *n, char **err)
{
	if (url->backend == DB_POSTGRES)
		return dump_rows(path, table, rows, n, err);
	struct db_url u = {DB_SQLITE, (char *)path, NULL, NULL, NULL, 0};
	struct db *copy = NULL;
	int rc = db_open(&u, table, &copy, err);
	if (rc == RT_OK)
		rc = copy->ops->read_heads(copy, rows, n, err);
	if (copy)
		db_close(copy);
	return rc;
}

int backup_run(struct db *db, const struct db_url *url, const char *version_table,
               const struct db_wait *wait, const char *dest,
               void (*progress)(void *ctx, double fraction), void *ctx,
               char **written, char **err)
{
	int rc;
	char *path;
	if (dest) {
		path = xstrdup(dest);
	} else {
		char stamp[32];
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
		const char *ext = url->backend == DB_SQLITE ? "db" : "sql";
		path = xasprintf("%s-%s.%s", url->dbname, stamp, ext);
		/* Two backups within a second get distinct names. */
		for (int k = 2; access(path, F_OK) == 0 && k < 1000; k++) {
			free(path);
			path = xasprintf("%s-%s-%d.%s", url->dbname, stamp, k, ext);
		}
	}
	char **heads = NULL, **copied = NULL;
	uint32_t n = 0, ncopied = 0;
	rc = db->ops->lock(db, wait, err);
	if (rc == RT_OK) {
		rc = db->ops->read_heads(db, &heads, &n, err);
		if (rc == RT_OK)
			rc = db->ops->backup(db, path, progress, ctx, err);
		db->ops->unlock(db);
	}
	if (rc == RT_OK)
		rc = copy_rows(url, version_table, path, &copied, &ncopied, err);
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

char *backup_restore_hint(const struct db_url *url, const char *path)
{
	if (url->backend == DB_SQLITE)
		return xasprintf("To restore: stop every writer, then copy %s over %s", path,
		                 url->path);
	return xasprintf("To restore: createdb NEWDB && psql -X -v ON_ERROR_STOP=1 -d NEWDB -f %s\n"
	                 "(then point the application at NEWDB, or drop and recreate %s from it)",
	                 path, url->dbname);
}
