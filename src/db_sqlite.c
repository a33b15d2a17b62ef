/* db_sqlite.c: the SQLite backend. */
#include "db_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "lite.h"
#include "util.h"

/* How long a statement waits for another connection's write lock (another
 * program using the database; retort against retort waits on the flock). */
#define SQ_BUSY_TIMEOUT_MS 5000
#define SQ_POLL_SECONDS 0.05
#define SQ_BACKUP_PAGES 100
/* Virtual machine steps between two looks at the statement deadline: a
 * clock read every few microseconds of work costs nothing measurable. */
#define SQ_PROGRESS_STEPS 1000

static const struct db_query sq_query;

struct sq_db {
	struct db_online on;
	sqlite3 *h;
	char *lock_path; /* NULL for an in-memory database: nothing to share */
	int lock_fd;     /* -1 unless we hold the lock */
	/* A file that does not exist yet: reading it must not create it, so
	 * the handle is an empty in-memory database until the first write. */
	char *create_path;
	bool persisted;  /* journal_mode PERSIST while locked (sq_lock) */
	double timeout;  /* --statement-timeout in seconds, 0 for none */
	double deadline; /* when the running statement must stop */
	bool timed_out;  /* the progress handler stopped it */
};

static struct sq_db *sq(struct db *db)
{
	return (struct sq_db *)db;
}

static int sq_fail(struct sq_db *s, char **err)
{
	return rt_err(err, RT_EDB, "%s", lite.sqlite3_errmsg(s->h));
}

static bool is_memory(const char *path)
{
	return !*path || strcmp(path, ":memory:") == 0;
}

static int sq_progress(void *ctx)
{
	struct sq_db *s = ctx;
	if (now_monotonic() < s->deadline)
		return 0;
	s->timed_out = true;
	return 1;
}

/* Starts the clock of the statement about to run. */
static void sq_arm(struct sq_db *s)
{
	s->timed_out = false;
	s->deadline = now_monotonic() + s->timeout;
}

/* The message of a failed statement: a timeout says what stopped it. */
static int sq_stmt_fail(struct sq_db *s, const char *msg, char **err)
{
	if (s->timed_out)
		return rt_err(err, RT_EDB,
		              "statement timeout: the statement ran longer than %g s and was "
		              "cancelled (--statement-timeout)", s->timeout);
	/* "disk I/O error" alone does not say what failed; the system's
	 * errno is kept only on some paths (not for a failing COMMIT) */
	const char *text = msg ? msg : lite.sqlite3_errmsg(s->h);
	int code = lite.sqlite3_extended_errcode(s->h), e = lite.sqlite3_system_errno(s->h);
	if ((code & 0xff) == SQLITE_IOERR && e)
		return rt_err(err, RT_EDB, "%s (%s)", text, strerror(e));
	if (code == SQLITE_IOERR_WRITE || code == SQLITE_IOERR_FSYNC || code == SQLITE_IOERR_TRUNCATE)
		return rt_err(err, RT_EDB, "%s: writing the database failed (a full disk, a "
		              "file size limit or a failing device)",
		              text);
	return rt_err(err, RT_EDB, "%s", text);
}

/* Opens path on s->h with the connection settings retort relies on. */
static int sq_connect(struct sq_db *s, const char *path, int flags, char **err)
{
	if (lite.sqlite3_open_v2(path, &s->h, flags, NULL) != SQLITE_OK) {
		int rc = rt_err(err, RT_EDB, "%s: %s", path,
		                s->h ? lite.sqlite3_errmsg(s->h) : "out of memory");
		lite.sqlite3_close(s->h);
		s->h = NULL;
		return rc;
	}
	lite.sqlite3_extended_result_codes(s->h, 1);
	lite.sqlite3_busy_timeout(s->h, SQ_BUSY_TIMEOUT_MS);
	if (s->timeout > 0)
		lite.sqlite3_progress_handler(s->h, SQ_PROGRESS_STEPS, sq_progress, s);
	if (lite.sqlite3_exec(s->h, "PRAGMA foreign_keys = ON", NULL, NULL,
	                      NULL) != SQLITE_OK) {
		int rc = rt_err(err, RT_EDB, "%s: %s", path, lite.sqlite3_errmsg(s->h));
		lite.sqlite3_close(s->h);
		s->h = NULL;
		return rc;
	}
	return RT_OK;
}

/* Creates the database file on the first write. */
static int sq_materialize(struct sq_db *s, char **err)
{
	if (!s->create_path)
		return RT_OK;
	sqlite3 *empty = s->h;
	int rc = sq_connect(s, s->create_path,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err);
	if (rc != RT_OK) {
		s->h = empty;
		return rc;
	}
	lite.sqlite3_close(empty);
	free(s->create_path);
	s->create_path = NULL;
	return RT_OK;
}

static int sq_open(const struct db_url *url, const char *version_table,
                   struct db **out, char **err)
{
	if (!url->path)
		return rt_err(err, RT_EUSAGE, "SQLite URL without a path");
	int rc = lite_load(err);
	if (rc != RT_OK)
		return rc;
	struct sq_db *s = xcalloc(1, sizeof *s);
	s->lock_fd = -1;
	s->on.query = &sq_query;
	rc = db_base_init(&s->on.base, &db_sqlite_ops, SQL_SQLITE, version_table,
	                  err);
	if (rc != RT_OK) {
		free(s);
		return rc;
	}
	bool absent = !is_memory(url->path) && access(url->path, F_OK) != 0 &&
	              errno == ENOENT;
	if (absent)
		s->create_path = xstrdup(url->path);
	rc = sq_connect(s, absent ? ":memory:" : url->path,
	                SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err);
	if (rc != RT_OK) {
		free(s->create_path);
		free(s);
		return rc;
	}
	if (!is_memory(url->path))
		s->lock_path = xasprintf("%s.lock", url->path);
	*out = &s->on.base;
	return RT_OK;
}

/* While it migrates, a database in the default rollback journal mode,
 * DELETE, is written in PERSIST mode: at each commit the journal's header
 * is zeroed instead of the file being deleted and created again, which on
 * Linux file systems costs a metadata commit per migration (a fifth of a
 * small migration's time). Atomicity and durability are the same (either
 * way a commit is final once the journal stops being valid, and a hot
 * journal is rolled back by the next connection); other connections may
 * use any rollback mode meanwhile. Going back to DELETE removes the
 * journal file, so none stays beside the database. A database in WAL or
 * another mode its owner chose is left as it is. */
static void sq_persist_journal(struct sq_db *s)
{
	sqlite3_stmt *st = NULL;
	const char *mode = NULL;
	if (lite.sqlite3_prepare_v2(s->h, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK &&
	    lite.sqlite3_step(st) == SQLITE_ROW)
		mode = (const char *)lite.sqlite3_column_text(st, 0);
	bool is_delete = mode && strcmp(mode, "delete") == 0;
	lite.sqlite3_finalize(st);
	s->persisted = is_delete && lite.sqlite3_exec(s->h, "PRAGMA journal_mode = PERSIST",
	                                              NULL, NULL, NULL) == SQLITE_OK;
}

static void sq_unlock(struct db *db)
{
	struct sq_db *s = sq(db);
	if (s->lock_fd < 0)
		return;
	/* before the lock goes: the next run cannot take it meanwhile */
	if (s->persisted && lite.sqlite3_exec(s->h, "PRAGMA journal_mode = DELETE", NULL, NULL,
	                                      NULL) == SQLITE_OK)
		s->persisted = false;
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
	lite.sqlite3_close_v2(s->h);
	free(s->lock_path);
	free(s->create_path);
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
	int rc0 = sq_materialize(s, err);
	if (rc0 != RT_OK)
		return rc0;
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
		if (db->stop) {
			close(fd);
			return rt_err(err, RT_EINTR, "interrupted while waiting for the migration lock");
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
	sq_persist_journal(s);
	return RT_OK;
}

static int sq_exec(struct db *db, const char *sql, char **err)
{
	struct sq_db *s = sq(db);
	char *msg = NULL;
	int rc0 = sq_materialize(s, err);
	if (rc0 != RT_OK)
		return rc0;
	sq_arm(s);
	if (lite.sqlite3_exec(s->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = sq_stmt_fail(s, msg, err);
		lite.sqlite3_free(msg);
		return rc;
	}
	return RT_OK;
}

static int sq_begin(struct db *db, char **err)
{
	int rc = sq_materialize(sq(db), err);
	if (rc != RT_OK)
		return rc;
	return sq_exec(db, "BEGIN IMMEDIATE", err);
}

static int sq_commit(struct db *db, char **err)
{
	return sq_exec(db, "COMMIT", err);
}

static int sq_rollback(struct db *db, char **err)
{
	/* SQLite may already have rolled back on its own (e.g. SQLITE_FULL) */
	if (lite.sqlite3_get_autocommit(sq(db)->h))
		return RT_OK;
	return sq_exec(db, "ROLLBACK", err);
}

/* Prepares sql and binds texts (NULL binds SQL NULL). */
static int sq_prepare(struct sq_db *s, const char *sql, const char *const *args,
                      int nargs, sqlite3_stmt **st, char **err)
{
	if (lite.sqlite3_prepare_v2(s->h, sql, -1, st, NULL) != SQLITE_OK)
		return sq_fail(s, err);
	for (int i = 0; i < nargs; i++) {
		int rc = args[i] ? lite.sqlite3_bind_text(*st, i + 1, args[i], -1,
		                                          SQLITE_TRANSIENT)
		                 : lite.sqlite3_bind_null(*st, i + 1);
		if (rc != SQLITE_OK) {
			sq_fail(s, err);
			lite.sqlite3_finalize(*st);
			return RT_EDB;
		}
	}
	return RT_OK;
}

static int sq_run(struct db *db, const char *sql, const char *const *args,
                  int nargs, db_row_fn *row, void *ctx, long *changes,
                  char **err)
{
	struct sq_db *s = sq(db);
	sqlite3_stmt *st;
	int rc = sq_prepare(s, sql, args, nargs, &st, err);
	if (rc != RT_OK)
		return rc;
	int ncols = lite.sqlite3_column_count(st), step;
	const char **cols = xcalloc((size_t)ncols + 1, sizeof *cols);
	sq_arm(s);
	while ((step = lite.sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < ncols; i++)
			cols[i] = (const char *)lite.sqlite3_column_text(st, i);
		if (row)
			row(ctx, cols, ncols);
	}
	if (step != SQLITE_DONE)
		rc = sq_stmt_fail(s, NULL, err);
	else if (changes)
		*changes = lite.sqlite3_changes(s->h);
	free(cols);
	lite.sqlite3_finalize(st);
	return rc;
}

static void found(void *ctx, const char *const *cols, int ncols)
{
	*(bool *)ctx = true;
}

static int sq_table_exists(struct db *db, const char *name, bool *exists,
                           char **err)
{
	*exists = false;
	return sq_run(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' "
	                  "AND name = ?1 COLLATE NOCASE",
	              &name, 1, found, exists, NULL, err);
}

static int sq_backup(struct db *db, const char *dest,
                     void (*progress)(void *ctx, double fraction), void *ctx,
                     char **err)
{
	struct sq_db *s = sq(db);
	int fd;
	if (s->create_path)
		return rt_err(err, RT_EFAIL, "%s: no such database file: nothing to back up",
		              s->create_path);
	int rc = db_backup_create(dest, &fd, err);
	if (rc != RT_OK)
		return rc;
	close(fd); /* an empty file is an empty database to SQLite */

	sqlite3 *to = NULL;
	sqlite3_backup *b = NULL;
	if (lite.sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		rc = rt_err(err, RT_EFAIL, "%s: %s", dest,
		            to ? lite.sqlite3_errmsg(to) : "out of memory");
		goto out;
	}
	b = lite.sqlite3_backup_init(to, "main", s->h, "main");
	if (!b) {
		rc = rt_err(err, RT_EFAIL, "%s: %s", dest, lite.sqlite3_errmsg(to));
		goto out;
	}
	int step;
	do {
		step = lite.sqlite3_backup_step(b, SQ_BACKUP_PAGES);
		int total = lite.sqlite3_backup_pagecount(b);
		if (progress && total > 0)
			progress(ctx, (double)(total - lite.sqlite3_backup_remaining(b)) / total);
		if (step == SQLITE_BUSY || step == SQLITE_LOCKED)
			db_sleep(SQ_POLL_SECONDS);
	} while (step == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED);
	if (lite.sqlite3_backup_finish(b) != SQLITE_OK || step != SQLITE_DONE)
		rc = rt_err(err, RT_EFAIL, "%s: %s", dest, lite.sqlite3_errmsg(to));
	else if (progress)
		progress(ctx, 1.0);
out:
	lite.sqlite3_close_v2(to);
	if (rc != RT_OK)
		unlink(dest);
	return rc;
}

static void sq_interrupt(struct db *db)
{
	/* s->h is replaced only by sq_materialize, which the lock runs before
	 * the runner installs the handler that calls this */
	lite.sqlite3_interrupt(sq(db)->h);
}

static int sq_set_statement_timeout(struct db *db, double seconds, char **err)
{
	struct sq_db *s = sq(db);
	s->timeout = seconds > 0 ? seconds : 0;
	if (s->timeout > 0)
		lite.sqlite3_progress_handler(s->h, SQ_PROGRESS_STEPS, sq_progress, s);
	else
		lite.sqlite3_progress_handler(s->h, 0, NULL, NULL);
	return RT_OK;
}

static const struct db_query sq_query = {
	.run = sq_run,
	.table_exists = sq_table_exists,
};

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
	DB_ONLINE_OPS,
	.exec_noted = db_online_exec_noted,
	.backup = sq_backup,
	.interrupt = sq_interrupt,
	.set_statement_timeout = sq_set_statement_timeout,
};
