/* db_sqlite.c: the SQLite backend. */
#include "db_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/sysmacros.h> /* major, minor */
#endif

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
	char *path;      /* the database as named; NULL for an in-memory one */
	/* The migration lock (see sq_lock): the database file, open from the
	 * first time the lock is taken or asked about until sq_close (-1
	 * before), and the lock file beside its real path. */
	int file_fd;
	char *lock_path;
	int lock_fd;     /* the lock file; -1 unless we hold the lock */
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
	s->file_fd = s->lock_fd = -1;
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
		s->path = xstrdup(url->path);
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

/* ---- the migration lock ----
 *
 * The lock belongs to the database file, not to the name it is reached
 * by: it is a flock on the file itself, which a symlink, a hard link, a
 * relative and an absolute path all reach alike, released by the kernel
 * when the process dies. On Linux a flock and the POSIX locks that SQLite
 * takes on the same file are independent of each other. But closing any
 * descriptor of a file drops every POSIX lock the process holds on it,
 * SQLite's included, so the descriptor is opened once and closed only
 * after the connection (sq_close).
 *
 * Who holds the lock (pid, host, user, since) is written into "FILE.lock"
 * beside the file's real path, which is flocked as well, so that a
 * flock(1) on it keeps migrations out too. That file is opened
 * without following a symlink and used only when it is a regular file
 * with no other name, so that emptying it and writing the holder line
 * never reach another file. */

/* The database file's descriptor (s->file_fd) and the lock file's path.
 * RT_OK with s->file_fd still -1 when the file does not exist: then
 * nobody holds its lock. */
static int sq_identify(struct sq_db *s, char **err)
{
	if (s->file_fd >= 0)
		return RT_OK;
	char *real = realpath(s->path, NULL);
	if (!real)
		return errno == ENOENT ? RT_OK : rt_err(err, RT_ELOCK, "%s: %s", s->path, strerror(errno));
	struct stat st;
	int fd = open(real, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	const char *bad = fd < 0 || fstat(fd, &st) != 0 ? strerror(errno)
	                  : !S_ISREG(st.st_mode)        ? "not a regular file"
	                                                : NULL;
	if (bad) {
		int rc = rt_err(err, RT_ELOCK, "%s: %s", real, bad);
		if (fd >= 0)
			close(fd);
		free(real);
		return rc;
	}
	s->file_fd = fd;
	s->lock_path = xasprintf("%s.lock", real);
	free(real);
	return RT_OK;
}

/* Opens the lock file (flags: O_RDONLY, or O_RDWR | O_CREAT); *fd = -1
 * when it does not exist and is not to be created. */
static int lock_file_open(const char *path, int flags, int *fd, char **err)
{
	struct stat st;
	*fd = -1;
	int f = open(path, flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
	if (f < 0) {
		int e = errno;
		if (e == ENOENT && !(flags & O_CREAT))
			return RT_OK;
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			return rt_err(err, RT_ELOCK, "%s: the lock file is a symbolic link, which "
			              "retort never follows; remove it", path);
		return rt_err(err, RT_ELOCK, "%s: %s", path, strerror(e));
	}
	const char *bad = NULL;
	if (fstat(f, &st) != 0)
		bad = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		bad = "the lock file is not a regular file; remove it";
	else if (st.st_nlink != 1)
		bad = "the lock file has other names (hard links), and retort writes only "
		      "a file of its own; remove it";
	if (bad) {
		close(f);
		return rt_err(err, RT_ELOCK, "%s: %s", path, bad);
	}
	*fd = f;
	return RT_OK;
}

/* The process holding a flock on the file open as fd, as Linux lists it
 * in /proc/locks; 0 when unknown. */
static long flock_pid(int fd)
{
	long pid = 0;
#ifdef __linux__
	struct stat st;
	FILE *f;
	if (fd < 0 || fstat(fd, &st) != 0 || !(f = fopen("/proc/locks", "re")))
		return 0;
	char line[256], kind[16], mode[16];
	while (!pid && fgets(line, sizeof line, f)) {
		long p;
		unsigned maj, min;
		unsigned long long ino;
		/* "1: FLOCK  ADVISORY  WRITE 1234 fe:00:5678 0 EOF"; a waiter's
		 * line has "->" before FLOCK */
		if (sscanf(line, "%*d: %15s %*s %15s %ld %x:%x:%llu", kind, mode, &p, &maj, &min,
		           &ino) == 6 &&
		    strcmp(kind, "FLOCK") == 0 && strcmp(mode, "WRITE") == 0 &&
		    maj == major(st.st_dev) && min == minor(st.st_dev) && ino == st.st_ino)
			pid = p;
	}
	fclose(f);
#endif
	return pid;
}

/* Who holds the lock: the holder line of the lock file (lock_fd, -1 for
 * none), else the process the kernel names, whose line is in the lock
 * file beside another name of the database file (a hard link). */
static char *read_holder(struct sq_db *s, int lock_fd)
{
	char buf[512];
	ssize_t n = lock_fd >= 0 ? pread(lock_fd, buf, sizeof buf - 1, 0) : 0;
	if (n < 0)
		n = 0;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	if (n)
		return xstrdup(buf);
	long pid = flock_pid(s->file_fd);
	if (pid > 0)
		return xasprintf("pid %ld (%s names no holder: that process took the lock through "
		                 "another name of the database file, or is not retort)",
		                 pid, s->lock_path);
	return xasprintf("an unknown process (lock file %s)", s->lock_path);
}

/* Whether another descriptor holds a flock on fd's file: a shared lock
 * is taken and given back at once when nobody does. */
static int flock_held(int fd, const char *path, bool *held, char **err)
{
	*held = false;
	if (fd < 0)
		return RT_OK;
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		flock(fd, LOCK_UN);
		return RT_OK;
	}
	if (errno != EWOULDBLOCK)
		return rt_err(err, RT_EFAIL, "%s: %s", path, strerror(errno));
	*held = true;
	return RT_OK;
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
	flock(s->file_fd, LOCK_UN);
}

static void sq_close(struct db *db)
{
	struct sq_db *s = sq(db);
	sq_unlock(db);
	lite.sqlite3_close_v2(s->h);
	if (s->file_fd >= 0)
		close(s->file_fd);
	free(s->path);
	free(s->lock_path);
	free(s->create_path);
	free(s);
}

static int sq_lock_holder(struct db *db, char **holder, char **err)
{
	struct sq_db *s = sq(db);
	*holder = NULL;
	if (!s->path)
		return RT_OK;
	if (s->lock_fd >= 0) {
		*holder = read_holder(s, s->lock_fd);
		return RT_OK;
	}
	int rc = sq_identify(s, err);
	if (rc != RT_OK || s->file_fd < 0)
		return rc;
	/* read-only: asking must never create the lock file */
	int fd;
	bool held = false;
	rc = lock_file_open(s->lock_path, O_RDONLY, &fd, err);
	if (rc == RT_OK)
		rc = flock_held(s->file_fd, s->path, &held, err);
	if (rc == RT_OK && !held)
		rc = flock_held(fd, s->lock_path, &held, err);
	if (rc == RT_OK && held)
		*holder = read_holder(s, fd);
	if (fd >= 0)
		close(fd);
	return rc;
}

static int sq_lock(struct db *db, double timeout, char **err)
{
	struct sq_db *s = sq(db);
	if (!s->path || s->lock_fd >= 0)
		return RT_OK;
	int rc = sq_materialize(s, err);
	if (rc == RT_OK)
		rc = sq_identify(s, err);
	if (rc == RT_OK && s->file_fd < 0)
		rc = rt_err(err, RT_ELOCK, "%s: no such database file", s->path);
	int fd = -1;
	if (rc == RT_OK)
		rc = lock_file_open(s->lock_path, O_RDWR | O_CREAT, &fd, err);
	if (rc != RT_OK)
		return rc;
	/* the database file, then the lock file */
	double deadline = now_monotonic() + timeout;
	bool on_file = false;
	for (;;) {
		int r = on_file ? 0 : flock(s->file_fd, LOCK_EX | LOCK_NB);
		if (r == 0) {
			on_file = true;
			r = flock(fd, LOCK_EX | LOCK_NB);
		}
		if (r == 0)
			break;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			rc = rt_err(err, RT_ELOCK, "%s: %s", on_file ? s->lock_path : s->path,
			            strerror(errno));
			break;
		}
		if (db->stop) {
			close(fd);
			return rt_err(err, RT_EINTR, "interrupted while waiting for the migration lock");
		}
		if (now_monotonic() >= deadline) {
			char *holder = read_holder(s, fd);
			rc = db_lock_timeout_err(err, holder, timeout);
			free(holder);
			break;
		}
		db_sleep(SQ_POLL_SECONDS);
	}
	if (rc == RT_OK) {
		char *line = db_holder_line();
		size_t len = strlen(line);
		line[len] = '\n';
		if (ftruncate(fd, 0) != 0 || pwrite(fd, line, len + 1, 0) != (ssize_t)(len + 1))
			rc = rt_err(err, RT_ELOCK, "%s: %s", s->lock_path, strerror(errno));
		free(line);
	}
	if (rc != RT_OK) {
		close(fd);
		if (on_file)
			flock(s->file_fd, LOCK_UN);
		return rc;
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

static void first_is_1(void *ctx, const char *const *cols, int ncols)
{
	*(bool *)ctx = ncols > 0 && cols[0] && strcmp(cols[0], "1") == 0;
}

static int sq_foreign_keys(struct db *db, bool *on, char **err)
{
	*on = false;
	return sq_run(db, "PRAGMA foreign_keys", NULL, 0, first_is_1, on, NULL, err);
}

static int sq_set_foreign_keys(struct db *db, bool on, char **err)
{
	bool now;
	int rc = sq_exec(db, on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF", err);
	if (rc == RT_OK)
		rc = sq_foreign_keys(db, &now, err);
	if (rc == RT_OK && now != on)
		rc = rt_err(err, RT_EDB, "PRAGMA foreign_keys = %s had no effect (a transaction "
		            "is open)", on ? "ON" : "OFF");
	return rc;
}

/* The rows of PRAGMA foreign_key_check (table, rowid, parent, fkid), told
 * as runs of the same table and parent: at most FK_SHOWN of them. */
#define FK_SHOWN 5
struct fk_report {
	struct strbuf text;
	long rows, runs;
	char *table, *parent; /* the run being counted */
	long run_rows;
	char *first_rowid;
};

static void fk_report_run(struct fk_report *r)
{
	if (!r->table)
		return;
	if (r->runs++ < FK_SHOWN) {
		bool one = r->run_rows == 1;
		sb_addf(&r->text, "%s%ld row%s of %s reference%s %s of %s", r->runs > 1 ? "; " : "",
		        r->run_rows, one ? "" : "s", r->table, one ? "s" : "",
		        one ? "a missing row" : "missing rows", r->parent);
		if (r->first_rowid)
			sb_addf(&r->text, " (%s %s)", one ? "rowid" : "first rowid", r->first_rowid);
	}
	free(r->table);
	free(r->parent);
	free(r->first_rowid);
	r->table = r->parent = r->first_rowid = NULL;
}

static void fk_row(void *ctx, const char *const *cols, int ncols)
{
	struct fk_report *r = ctx;
	const char *table = ncols > 0 && cols[0] ? cols[0] : "?";
	const char *parent = ncols > 2 && cols[2] ? cols[2] : "?";
	r->rows++;
	if (r->table && strcmp(r->table, table) == 0 && strcmp(r->parent, parent) == 0) {
		r->run_rows++;
		return;
	}
	fk_report_run(r);
	r->table = xstrdup(table);
	r->parent = xstrdup(parent);
	r->first_rowid = ncols > 1 && cols[1] ? xstrdup(cols[1]) : NULL;
	r->run_rows = 1;
}

static int sq_foreign_key_check(struct db *db, char **err)
{
	struct fk_report r = {0};
	sb_init(&r.text);
	int rc = sq_run(db, "PRAGMA foreign_key_check", NULL, 0, fk_row, &r, NULL, err);
	fk_report_run(&r);
	if (rc == RT_OK && r.rows)
		rc = rt_err(err, RT_EDB, "PRAGMA foreign_key_check: %s%s", sb_str(&r.text),
		            r.runs > FK_SHOWN ? "; and more" : "");
	sb_free(&r.text);
	return rc;
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
	.foreign_keys = sq_foreign_keys,
	.set_foreign_keys = sq_set_foreign_keys,
	.foreign_key_check = sq_foreign_key_check,
};
