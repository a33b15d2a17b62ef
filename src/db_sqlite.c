/* db_sqlite.c: the SQLite backend. */
#include "db_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "util.h"

/* How long a statement waits for another connection's write lock (another
 * program using the database; retort against retort waits on the flock). */
#define SQ_BUSY_TIMEOUT_MS 5000
#define SQ_POLL_SECONDS 0.05
#define SQ_BACKUP_PAGES 100

struct sq_db {
	struct db base;
	sqlite3 *h;
	char *lock_path; /* NULL for an in-memory database: nothing to share */
	int lock_fd;     /* -1 unless we hold the lock */
};

static struct sq_db *sq(struct db *db)
{
	return (struct sq_db *)db;
}

static int sq_fail(struct sq_db *s, char **err)
{
	return rt_err(err, RT_EDB, "%s", sqlite3_errmsg(s->h));
}

static bool is_memory(const char *path)
{
	return !*path || strcmp(path, ":memory:") == 0;
}

static int sq_open(const struct db_url *url, const char *version_table,
                   struct db **out, char **err)
{
	if (!url->path)
		return rt_err(err, RT_EUSAGE, "SQLite URL without a path");
	struct sq_db *s = xcalloc(1, sizeof *s);
	s->lock_fd = -1;
	int rc = db_base_init(&s->base, &db_sqlite_ops, SQL_SQLITE,
	                      version_table, err);
	if (rc != RT_OK) {
		free(s);
		return rc;
	}
	if (sqlite3_open_v2(url->path, &s->h,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	                    NULL) != SQLITE_OK) {
		rc = rt_err(err, RT_EDB, "%s: %s", url->path,
		            s->h ? sqlite3_errmsg(s->h) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(s->h, 1);
	sqlite3_busy_timeout(s->h, SQ_BUSY_TIMEOUT_MS);
	if (sqlite3_exec(s->h, "PRAGMA foreign_keys = ON", NULL, NULL,
	                 NULL) != SQLITE_OK) {
		rc = rt_err(err, RT_EDB, "%s: %s", url->path, sqlite3_errmsg(s->h));
		goto fail;
	}
	if (!is_memory(url->path))
		s->lock_path = xasprintf("%s.lock", url->path);
	*out = &s->base;
	return RT_OK;
fail:
	sqlite3_close(s->h);
	free(s);
	return rc;
}

static void sq_unlock(struct db *db)
{
	struct sq_db *s = sq(db);
	if (s->lock_fd < 0)
		return;
	/* empty the holder line first: a reader that still sees the flock
	 * must not be told about a process that has moved on */
	if (ftruncate(s->lock_fd, 0) != 0) {
		/* the kernel drops the flock with the descriptor anyway */
	}
	close(s->lock_fd);
	s->lock_fd = -1;
}

static void sq_close(struct db *db)
{
	struct sq_db *s = sq(db);
	sq_unlock(db);
	sqlite3_close_v2(s->h);
	free(s->lock_path);
	free(s);
}

/* The holder line from a lock file, or a placeholder when the holder has
 * not written it yet. */
static char *read_holder(int fd, const char *path)
{
	char buf[512];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	if (n < 0)
		n = 0;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	if (!n)
		return xasprintf("an unknown process (lock file %s)", path);
	return xstrdup(buf);
}

static int sq_lock_holder(struct db *db, char **holder, char **err)
{
	struct sq_db *s = sq(db);
	*holder = NULL;
	if (!s->lock_path)
		return RT_OK;
	if (s->lock_fd >= 0) {
		*holder = read_holder(s->lock_fd, s->lock_path);
		return RT_OK;
	}
	/* read-only: asking must never create the lock file */
	int fd = open(s->lock_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return RT_OK;
		return rt_err(err, RT_EFAIL, "%s: %s", s->lock_path, strerror(errno));
	}
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		close(fd);
		return RT_OK;
	}
	if (errno != EWOULDBLOCK) {
		int e = errno;
		close(fd);
		return rt_err(err, RT_EFAIL, "%s: %s", s->lock_path, strerror(e));
	}
	*holder = read_holder(fd, s->lock_path);
	close(fd);
	return RT_OK;
}

static int sq_lock(struct db *db, double timeout, char **err)
{
	struct sq_db *s = sq(db);
	if (!s->lock_path || s->lock_fd >= 0)
		return RT_OK;
	int fd = open(s->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return rt_err(err, RT_ELOCK, "%s: %s", s->lock_path, strerror(errno));
	double deadline = now_monotonic() + timeout;
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			int e = errno;
			close(fd);
			return rt_err(err, RT_ELOCK, "%s: %s", s->lock_path, strerror(e));
		}
		if (now_monotonic() >= deadline) {
			char *holder = read_holder(fd, s->lock_path);
			close(fd);
			int rc = db_lock_timeout_err(err, holder, timeout);
			free(holder);
			return rc;
		}
		db_sleep(SQ_POLL_SECONDS);
	}
	char *line = db_holder_line();
	size_t len = strlen(line);
	line[len] = '\n';
	bool written = ftruncate(fd, 0) == 0 &&
	               pwrite(fd, line, len + 1, 0) == (ssize_t)(len + 1);
	free(line);
	if (!written) {
		int e = errno;
		close(fd);
		return rt_err(err, RT_ELOCK, "%s: %s", s->lock_path, strerror(e));
	}
	s->lock_fd = fd;
	return RT_OK;
}

static int sq_exec(struct db *db, const char *sql, char **err)
{
	struct sq_db *s = sq(db);
	char *msg = NULL;
	if (sqlite3_exec(s->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = rt_err(err, RT_EDB, "%s", msg ? msg : sqlite3_errmsg(s->h));
		sqlite3_free(msg);
		return rc;
	}
	return RT_OK;
}

static int sq_begin(struct db *db, char **err)
{
	return sq_exec(db, "BEGIN IMMEDIATE", err);
}

static int sq_commit(struct db *db, char **err)
{
	return sq_exec(db, "COMMIT", err);
}

static int sq_rollback(struct db *db, char **err)
{
	/* SQLite may already have rolled back on its own (e.g. SQLITE_FULL) */
	if (sqlite3_get_autocommit(sq(db)->h))
		return RT_OK;
	return sq_exec(db, "ROLLBACK", err);
}

static void sq_note(struct db *db, const char *text)
{
}

static int sq_ensure_tables(struct db *db, char **err)
{
	char *ddl[2] = {db_ddl_version_table(SQL_SQLITE, db->version_table),
	                db_ddl_history_table(SQL_SQLITE)};
	int rc = RT_OK;
	for (size_t i = 0; i < RT_ARRAY_LEN(ddl) && rc == RT_OK; i++)
		rc = sq_exec(db, ddl[i], err);
	for (size_t i = 0; i < RT_ARRAY_LEN(ddl); i++)
		free(ddl[i]);
	return rc;
}

/* Prepares sql and binds texts (NULL binds SQL NULL). */
static int sq_prepare(struct sq_db *s, const char *sql, const char *const *args,
                      int nargs, sqlite3_stmt **st, char **err)
{
	if (sqlite3_prepare_v2(s->h, sql, -1, st, NULL) != SQLITE_OK)
		return sq_fail(s, err);
	for (int i = 0; i < nargs; i++) {
		int rc = args[i] ? sqlite3_bind_text(*st, i + 1, args[i], -1,
		                                     SQLITE_TRANSIENT)
		                 : sqlite3_bind_null(*st, i + 1);
		if (rc != SQLITE_OK) {
			sq_fail(s, err);
			sqlite3_finalize(*st);
			*st = NULL;
			return RT_EDB;
		}
	}
	return RT_OK;
}

/* Runs a statement that returns no rows; *changes may be NULL. */
static int sq_run(struct sq_db *s, const char *sql, const char *const *args,
                  int nargs, int *changes, char **err)
{
	sqlite3_stmt *st;
	int rc = sq_prepare(s, sql, args, nargs, &st, err);
	if (rc != RT_OK)
		return rc;
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sq_fail(s, err);
	else if (changes)
		*changes = sqlite3_changes(s->h);
	sqlite3_finalize(st);
	return rc;
}

static int sq_table_exists(struct sq_db *s, const char *name, bool *exists,
                           char **err)
{
	sqlite3_stmt *st;
	const char *args[] = {name};
	int rc = sq_prepare(s,
	                    "SELECT 1 FROM sqlite_master WHERE type = 'table' "
	                    "AND name = ?1 COLLATE NOCASE",
	                    args, 1, &st, err);
	if (rc != RT_OK)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW || step == SQLITE_DONE)
		*exists = step == SQLITE_ROW;
	else
		rc = sq_fail(s, err);
	sqlite3_finalize(st);
	return rc;
}

static int sq_read_heads(struct db *db, char ***revs, uint32_t *n, char **err)
{
	struct sq_db *s = sq(db);
	bool exists = false;
	int rc = sq_table_exists(s, db->version_table, &exists, err);
	if (rc != RT_OK)
		return rc;
	struct db_strv heads = {0};
	if (exists) {
		char *sql = xasprintf("SELECT version_num FROM \"%s\" ORDER BY version_num",
		                      db->version_table);
		sqlite3_stmt *st;
		rc = sq_prepare(s, sql, NULL, 0, &st, err);
		free(sql);
		if (rc != RT_OK)
			return rc;
		int step;
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			const char *v = (const char *)sqlite3_column_text(st, 0);
			db_strv_push(&heads, v ? v : "");
		}
		if (step != SQLITE_DONE)
			rc = sq_fail(s, err);
		sqlite3_finalize(st);
	}
	if (rc != RT_OK) {
		db_strv_free(heads.v, heads.n);
		return rc;
	}
	db_strv_take(&heads, revs, n);
	return RT_OK;
}

static int sq_version_insert(struct db *db, const char *rev, char **err)
{
	char *sql = xasprintf("INSERT INTO \"%s\" (version_num) VALUES (?1)",
	                      db->version_table);
	int rc = sq_run(sq(db), sql, &rev, 1, NULL, err);
	free(sql);
	return rc;
}

static int sq_version_delete(struct db *db, const char *rev, char **err)
{
	char *sql = xasprintf("DELETE FROM \"%s\" WHERE version_num = ?1",
	                      db->version_table);
	int changes = 0;
	int rc = sq_run(sq(db), sql, &rev, 1, &changes, err);
	free(sql);
	if (rc == RT_OK && changes != 1)
		rc = rt_err(err, RT_EDB,
		            "expected to delete one row for '%s' from %s; %d found",
		            rev, db->version_table, changes);
	return rc;
}

static int sq_version_purge(struct db *db, char **err)
{
	char *sql = xasprintf("DELETE FROM \"%s\"", db->version_table);
	int rc = sq_run(sq(db), sql, NULL, 0, NULL, err);
	free(sql);
	return rc;
}

static int sq_history_insert(struct db *db, const struct history_row *row,
                             char **err)
{
	struct db_history_params p;
	db_history_params(row, &p);
	char *sql = db_history_insert_sql(SQL_SQLITE);
	int rc = sq_run(sq(db), sql, p.v, DB_HISTORY_NPARAMS, NULL, err);
	free(sql);
	return rc;
}

static int sq_history_read(struct db *db, const char *revision,
                           struct history_row **rows, uint32_t *n, char **err)
{
	struct sq_db *s = sq(db);
	bool exists = false;
	int rc = sq_table_exists(s, DB_HISTORY_TABLE, &exists, err);
	if (rc != RT_OK)
		return rc;
	struct db_rowv out = {0};
	if (exists) {
		char *sql = db_history_select_sql(SQL_SQLITE, revision != NULL);
		sqlite3_stmt *st;
		rc = sq_prepare(s, sql, &revision, revision ? 1 : 0, &st, err);
		free(sql);
		if (rc != RT_OK)
			return rc;
		int step;
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			const char *v[DB_HISTORY_NCOLS];
			for (int i = 0; i < DB_HISTORY_NCOLS; i++)
				v[i] = (const char *)sqlite3_column_text(st, i);
			db_history_row_from_text(db_rowv_add(&out), v);
		}
		if (step != SQLITE_DONE)
			rc = sq_fail(s, err);
		sqlite3_finalize(st);
	}
	if (rc != RT_OK) {
		db_history_free(out.v, out.n);
		return rc;
	}
	db_rowv_take(&out, rows, n);
	return RT_OK;
}

static int sq_backup(struct db *db, const char *dest,
                     void (*progress)(void *ctx, double fraction), void *ctx,
                     char **err)
{
	struct sq_db *s = sq(db);
	int fd;
	int rc = db_backup_create(dest, &fd, err);
	if (rc != RT_OK)
		return rc;
	close(fd); /* an empty file is an empty database to SQLite */

	sqlite3 *to = NULL;
	sqlite3_backup *b = NULL;
	if (sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		rc = rt_err(err, RT_EFAIL, "%s: %s", dest,
		            to ? sqlite3_errmsg(to) : "out of memory");
		goto out;
	}
	b = sqlite3_backup_init(to, "main", s->h, "main");
	if (!b) {
		rc = rt_err(err, RT_EFAIL, "%s: %s", dest, sqlite3_errmsg(to));
		goto out;
	}
	int step;
	do {
		step = sqlite3_backup_step(b, SQ_BACKUP_PAGES);
		int total = sqlite3_backup_pagecount(b);
		if (progress && total > 0)
			progress(ctx, (double)(total - sqlite3_backup_remaining(b)) / total);
		if (step == SQLITE_BUSY || step == SQLITE_LOCKED)
			db_sleep(SQ_POLL_SECONDS);
	} while (step == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED);
	if (sqlite3_backup_finish(b) != SQLITE_OK || step != SQLITE_DONE)
		rc = rt_err(err, RT_EFAIL, "%s: %s", dest, sqlite3_errmsg(to));
	else if (progress)
		progress(ctx, 1.0);
out:
	sqlite3_close_v2(to);
	if (rc != RT_OK)
		unlink(dest);
	return rc;
}

const struct db_ops db_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.lock = sq_lock,
	.unlock = sq_unlock,
	.lock_holder = sq_lock_holder,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.exec = sq_exec,
	.note = sq_note,
	.ensure_tables = sq_ensure_tables,
	.read_heads = sq_read_heads,
	.version_insert = sq_version_insert,
	.version_delete = sq_version_delete,
	.version_purge = sq_version_purge,
	.history_insert = sq_history_insert,
	.history_read = sq_history_read,
	.backup = sq_backup,
};
