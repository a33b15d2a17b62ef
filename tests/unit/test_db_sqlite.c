/* test_db_sqlite.c: the SQLite backend on real files. */
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db.h"
#include "tap.h"
#include "db_test.h"
#include "util.h"

static char dir[PATH_MAX];

static char *path_in(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static struct db *open_db(const char *path, const char *table)
{
	struct db_url url = {DB_SQLITE, (char *)path, NULL, (char *)path,
	                     (char *)"app", 0};
	struct db *db = NULL;
	char *err = NULL;
	int rc = db_open(&url, table, &db, &err);
	if (rc != RT_OK)
		printf("# open %s: %s\n", path, err ? err : "?");
	free(err);
	return db;
}

/* An integer from a second, independent connection: what is really in
 * the file, not what the handle believes. */
static long long query_int(const char *path, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	long long v = -1;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
	return v;
}

static off_t file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_size : -1;
}

static void test_fresh_read(void)
{
	char *path = path_in("fresh.db");
	char *lock = xasprintf("%s.lock", path);
	struct db *db = open_db(path, "retort_version");
	ok(db != NULL, "open a new SQLite file");
	is_str(db->ops->name, "sqlite", "backend name");

	is_heads(db, "", "a fresh database has no heads");
	struct history_row *rows = (struct history_row *)1;
	uint32_t n = 99;
	char *err = NULL;
	is_int(db->ops->history_read(db, NULL, &rows, &n, &err), RT_OK,
	       "reading the ledger of a fresh database succeeds");
	is_int(n, 0, "and finds no rows");
	db_history_free(rows, n);

	char *holder = (char *)"x";
	is_int(db->ops->lock_holder(db, &holder, &err), RT_OK, "lock_holder");
	ok(holder == NULL, "nobody holds the lock of a fresh database");
	ok(access(lock, F_OK) != 0, "asking for the holder creates no lock file");
	db_close(db);

	ok(access(path, F_OK) != 0, "reading a database that does not exist creates no file");
	free(lock);
	free(path);
}

static void test_bad_table(void)
{
	char *path = path_in("bad.db");
	struct db_url url = {DB_SQLITE, path, NULL, path, (char *)"bad", 0};
	struct db *db = NULL;
	char *err = NULL;
	is_int(db_open(&url, "x\"; DROP TABLE y; --", &db, &err), RT_EINPUT,
	       "a version table name that is not an identifier is refused");
	ok(err && strstr(err, "invalid version table name"), "with a message: %s",
	   err ? err : "(null)");
	ok(db == NULL, "and no handle");
	free(err);
	free(path);
}

static void test_versions(struct db *db, const char *path)
{
	char *err = NULL;
	is_int(db->ops->ensure_tables(db, &err), RT_OK, "ensure_tables");
	is_int(db->ops->ensure_tables(db, &err), RT_OK,
	       "ensure_tables again (IF NOT EXISTS)");
	is_int(query_int(path, "SELECT count(*) FROM sqlite_master WHERE type = "
	                       "'table' AND name IN ('app_version', 'retort_history')"),
	       2, "both tables exist");
	is_int(query_int(path, "SELECT count(*) FROM sqlite_master WHERE "
	                       "sql LIKE '%CONSTRAINT \"app_version_pkc\" PRIMARY KEY%'"),
	       1, "the version table has Alembic's named primary key");

	is_int(db->ops->version_insert(db, "bbbb", &err), RT_OK, "insert bbbb");
	is_int(db->ops->version_insert(db, "aaaa", &err), RT_OK, "insert aaaa");
	is_heads(db, "aaaa bbbb", "read_heads, sorted");
	is_int(query_int(path, "SELECT count(*) FROM app_version"), 2,
	       "two rows in the file");

	is_int(db->ops->version_insert(db, "aaaa", &err), RT_EDB,
	       "a duplicate head is a database error");
	ok(err && strstr(err, "UNIQUE"), "with SQLite's message: %s",
	   err ? err : "(null)");
	free(err);
	err = NULL;

	is_int(db->ops->version_delete(db, "aaaa", &err), RT_OK, "delete aaaa");
	is_heads(db, "bbbb", "one head left");
	is_int(db->ops->version_delete(db, "zzzz", &err), RT_EDB,
	       "deleting a head that is not there fails");
	ok(err && strstr(err, "'zzzz'") && strstr(err, "0 found"), "saying so: %s",
	   err ? err : "(null)");
	free(err);
	err = NULL;

	is_int(db->ops->version_insert(db, "it's", &err), RT_OK,
	       "values are bound, not spliced");
	is_heads(db, "bbbb it's", "the quote survived");
	is_int(db->ops->version_purge(db, &err), RT_OK, "purge");
	is_heads(db, "", "no heads after purge");
}

static void test_transactions(struct db *db, const char *path)
{
	char *err = NULL;
	is_int(db->ops->begin(db, &err), RT_OK, "begin");
	is_int(db->ops->exec(db, "CREATE TABLE accounts (id INTEGER PRIMARY KEY)",
	                     &err), RT_OK, "DDL inside the transaction");
	is_int(db->ops->version_insert(db, "c0ffee", &err), RT_OK,
	       "version row inside the transaction");
	is_int(db->ops->rollback(db, &err), RT_OK, "rollback");
	is_int(query_int(path, "SELECT count(*) FROM sqlite_master WHERE name = 'accounts'"),
	       0, "the rollback undid the CREATE TABLE");
	is_heads(db, "", "and the version row");

	is_int(db->ops->begin(db, &err), RT_OK, "begin again");
	is_int(db->ops->exec(db, "CREATE TABLE accounts (id INTEGER PRIMARY KEY);",
	                     &err), RT_OK, "a trailing ';' is fine");
	is_int(db->ops->version_insert(db, "c0ffee", &err), RT_OK, "version row");
	is_int(db->ops->commit(db, &err), RT_OK, "commit");
	is_int(query_int(path, "SELECT count(*) FROM sqlite_master WHERE name = 'accounts'"),
	       1, "the commit kept the table");
	is_heads(db, "c0ffee", "and the version row");

	is_int(db->ops->exec(db, "SELEC 1", &err), RT_EDB, "a bad statement fails");
	ok(err && strstr(err, "syntax error"), "with SQLite's message: %s",
	   err ? err : "(null)");
	free(err);
	err = NULL;
	is_int(db->ops->rollback(db, &err), RT_OK,
	       "rollback outside a transaction is harmless");
	db->ops->note(db, "nothing to see");
	is_int(db->ops->version_purge(db, &err), RT_OK, "purge");
}

static void test_history(struct db *db, const char *path)
{
	check_history_round_trip(db, NULL);
	is_int(query_int(path, "SELECT count(*) FROM retort_history WHERE "
	                       "error_line IS NULL AND revision = 'aaaa'"),
	       1, "line 0 is stored as NULL");
}

/* A face told about a wait: what it was told; it cancels at the third
 * call when cancel is set. */
struct told {
	int calls, done;
	double last;
	char *holder;
	bool cancel;
};

static bool on_wait(void *ctx, double elapsed, const char *holder)
{
	struct told *t = ctx;
	t->calls++;
	t->last = elapsed;
	if (holder && !t->holder)
		t->holder = xstrdup(holder);
	return !(t->cancel && t->calls >= 3);
}

static void on_done(void *ctx)
{
	((struct told *)ctx)->done++;
}

/* A child process that takes the migration lock (and runs sql, unless
 * NULL), then writes 'L' (or 'E') on up; told 'u' on down, it unlocks and
 * writes 'U'; it exits when down is closed. */
static pid_t hold_lock(const char *path, const char *sql, int up[2], int down[2])
{
	if (pipe(up) != 0 || pipe(down) != 0)
		abort();
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		char c;
		close(down[1]);
		struct db *cdb = open_db(path, "app_version");
		int rc = cdb ? cdb->ops->lock(cdb, &(struct db_wait){.timeout = 5}, NULL) : RT_EFAIL;
		if (rc == RT_OK && sql)
			rc = cdb->ops->exec(cdb, sql, NULL);
		if (write(up[1], rc == RT_OK ? "L" : "E", 1) != 1)
			_exit(1);
		if (read(down[0], &c, 1) == 1 && c == 'u') {
			cdb->ops->unlock(cdb);
			if (write(up[1], "U", 1) != 1)
				_exit(1);
			if (read(down[0], &c, 1) < 0)
				_exit(1);
		}
		_exit(0);
	}
	return child;
}

/* The lock between processes: a child holds it, the parent waits. */
static void test_lock(const char *path)
{
	char *lock = xasprintf("%s.lock", path);
	int up[2], down[2];
	pid_t child = hold_lock(path, NULL, up, down);
	char c = 0;
	ok(read(up[0], &c, 1) == 1 && c == 'L', "a child process takes the lock");

	struct stat st;
	ok(stat(lock, &st) == 0 && (st.st_mode & 0777) == 0600,
	   "the lock file sits beside the database, mode 0600");

	struct db *db = open_db(path, "app_version");
	char *err = NULL, *holder = NULL;
	char *want = xasprintf("pid %ld on ", (long)child);
	double t0 = now_monotonic();
	is_int(db->ops->lock(db, &(struct db_wait){.timeout = 0.3}, &err), RT_ELOCK,
	       "the parent cannot take it while the child holds it");
	double waited = now_monotonic() - t0;
	ok(waited >= 0.29 && waited < 3, "it waited for the timeout (%.2f s)",
	   waited);
	ok(err && strstr(err, want) && strstr(err, " since "),
	   "the error names the holder: %s", err ? err : "(null)");
	free(err);
	err = NULL;

	is_int(db->ops->lock_holder(db, &holder, &err), RT_OK, "lock_holder");
	ok(holder && strncmp(holder, want, strlen(want)) == 0 &&
	   strstr(holder, " as ") && strstr(holder, " since 20"),
	   "names the child: %s", holder ? holder : "(null)");
	free(holder);

	/* a face is told about the wait, and may cancel it */
	struct told t = {0};
	struct db_wait w = {0.6, on_wait, on_done, &t};
	is_int(db->ops->lock(db, &w, &err), RT_ELOCK, "a told wait still times out");
	free(err);
	err = NULL;
	ok(t.calls >= 3 && t.last > 0.1 && t.last < 0.6, "on_wait was called every ~100 ms "
	   "(%d calls, the last at %.2f s)", t.calls, t.last);
	ok(t.holder && strncmp(t.holder, want, strlen(want)) == 0, "with the holder: %s",
	   t.holder ? t.holder : "(null)");
	is_int(t.done, 1, "and on_done once at the end");
	free(t.holder);
	t = (struct told){.cancel = true};
	w = (struct db_wait){30, on_wait, on_done, &t};
	t0 = now_monotonic();
	is_int(db->ops->lock(db, &w, &err), RT_EINTR, "on_wait returning false cancels the wait");
	ok(now_monotonic() - t0 < 2, "at once, not at the timeout");
	ok(err && strstr(err, "cancelled after") && strstr(err, want) &&
	   strstr(err, "nothing was done"), "saying so: %s", err ? err : "(null)");
	is_int(t.done, 1, "on_done after a cancelled wait too");
	free(t.holder);
	free(err);
	err = NULL;

	if (write(down[1], "u", 1) != 1)
		abort();
	ok(read(up[0], &c, 1) == 1 && c == 'U', "the child unlocks");
	holder = (char *)"x";
	is_int(db->ops->lock_holder(db, &holder, &err), RT_OK, "lock_holder");
	ok(holder == NULL, "nobody holds it after unlock");
	close(down[1]);
	int status;
	waitpid(child, &status, 0);

	is_int(db->ops->lock(db, &(struct db_wait){.timeout = 1}, &err), RT_OK, "the parent takes it");
	is_int(db->ops->lock(db, &(struct db_wait){.timeout = 1}, &err), RT_OK, "taking it twice is harmless");
	is_int(db->ops->lock_holder(db, &holder, &err), RT_OK, "lock_holder");
	char *mine = xasprintf("pid %ld on ", (long)getpid());
	ok(holder && strncmp(holder, mine, strlen(mine)) == 0,
	   "names this process: %s", holder ? holder : "(null)");
	free(holder);
	db->ops->unlock(db);
	is_int(file_size(lock), 0, "unlock empties the holder line");

	/* a killed holder leaves nothing behind */
	close(up[0]);
	close(up[1]);
	close(down[0]);
	if (pipe(up) != 0 || pipe(down) != 0)
		abort();
	fflush(stdout);
	child = fork();
	if (child == 0) {
		struct db *cdb = open_db(path, "app_version");
		int rc = cdb ? cdb->ops->lock(cdb, &(struct db_wait){.timeout = 5}, NULL) : RT_EFAIL;
		if (write(up[1], rc == RT_OK ? "L" : "E", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	ok(read(up[0], &c, 1) == 1 && c == 'L', "another child takes the lock");
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	is_int(db->ops->lock_holder(db, &holder, &err), RT_OK, "lock_holder");
	ok(holder == NULL, "nobody holds it once the holder was killed");
	is_int(db->ops->lock(db, &(struct db_wait){.timeout = 0}, &err), RT_OK,
	       "and it can be taken at once: %s", err ? err : "");
	db_close(db);
	close(up[0]);
	close(up[1]);
	close(down[0]);
	close(down[1]);
	free(mine);
	free(want);
	free(lock);
}

/* A reader while a migration writes: a child holds the migration lock and
 * an exclusive transaction; the parent's read waits as set_busy_wait
 * says, is told about it, and fails naming the migration's holder. */
static void test_busy(const char *path)
{
	int up[2], down[2];
	pid_t child = hold_lock(path, "BEGIN EXCLUSIVE", up, down);
	char c = 0;
	ok(read(up[0], &c, 1) == 1 && c == 'L', "a child migrates: lock and write transaction");
	char *want = xasprintf("pid %ld on ", (long)child);
	struct db *db = open_db(path, "app_version");
	struct told t = {0};
	struct db_wait w = {0.5, on_wait, on_done, &t};
	db->ops->set_busy_wait(db, &w);
	char **heads = NULL, *err = NULL;
	uint32_t n = 0;
	is_int(db->ops->read_heads(db, &heads, &n, &err), RT_EDB,
	       "a read waits as long as set_busy_wait says, then fails");
	ok(err && strstr(err, "a migration is writing to it") && strstr(err, want),
	   "naming the migration's holder: %s", err ? err : "(null)");
	ok(t.calls >= 2 && t.holder && strstr(t.holder, want), "on_wait was told (%d calls)",
	   t.calls);
	is_int(t.done, 1, "and on_done");
	free(t.holder);
	free(err);
	err = NULL;
	t = (struct told){.cancel = true};
	w.timeout = 30;
	db->ops->set_busy_wait(db, &w);
	double t0 = now_monotonic();
	is_int(db->ops->read_heads(db, &heads, &n, &err), RT_EINTR, "on_wait may cancel the read");
	ok(now_monotonic() - t0 < 2 && err && strstr(err, "cancelled after"), "at once: %s",
	   err ? err : "(null)");
	free(t.holder);
	free(err);
	err = NULL;
	db->ops->set_busy_wait(db, NULL);
	close(down[1]);
	int status;
	waitpid(child, &status, 0);
	is_int(db->ops->read_heads(db, &heads, &n, &err), RT_OK, "once it is gone, the read answers");
	db_strv_free(heads, n);
	db_close(db);
	close(up[0]);
	close(up[1]);
	close(down[0]);
	free(want);
}

/* PRAGMA foreign_keys: read, set outside a transaction only, and the
 * check that names what a rebuild with them off left dangling. */
static void test_foreign_keys(void)
{
	char *path = path_in("fk.db");
	struct db *db = open_db(path, "app_version");
	char *err = NULL;
	bool on = false;
	is_int(db->ops->foreign_keys(db, &on, &err), RT_OK, "foreign_keys");
	ok(on, "retort's connection has foreign keys on");
	is_int(db->ops->exec(db, "CREATE TABLE parent (id INTEGER PRIMARY KEY); "
	                         "CREATE TABLE child (id INTEGER PRIMARY KEY, "
	                         "parent_id INTEGER REFERENCES parent (id)); "
	                         "CREATE TABLE toy (id INTEGER PRIMARY KEY, "
	                         "child_id INTEGER REFERENCES child (id))", &err),
	       RT_OK, "tables with foreign keys");
	is_int(db->ops->foreign_key_check(db, &err), RT_OK, "no violation: the check passes");

	is_int(db->ops->begin(db, &err), RT_OK, "begin");
	is_int(db->ops->set_foreign_keys(db, false, &err), RT_EDB,
	       "inside a transaction the setting cannot change");
	ok(err && strstr(err, "had no effect"), "saying so: %s", err ? err : "(null)");
	free(err);
	err = NULL;
	is_int(db->ops->rollback(db, &err), RT_OK, "rollback");

	is_int(db->ops->set_foreign_keys(db, false, &err), RT_OK, "foreign keys off");
	is_int(db->ops->foreign_keys(db, &on, &err), RT_OK, "foreign_keys");
	ok(!on, "reads off");
	is_int(db->ops->exec(db, "INSERT INTO child VALUES (1, 7), (2, 7), (3, 8); "
	                         "INSERT INTO toy VALUES (1, 9)", &err),
	       RT_OK, "rows that reference nothing go in while they are off");
	is_int(db->ops->foreign_key_check(db, &err), RT_EDB, "the check fails");
	ok(err && strstr(err, "3 rows of child reference missing rows of parent (first rowid 1)") &&
	   strstr(err, "1 row of toy references a missing row of child (rowid 1)"),
	   "naming the tables: %s", err ? err : "(null)");
	free(err);
	err = NULL;
	is_int(db->ops->set_foreign_keys(db, true, &err), RT_OK, "foreign keys on again");
	is_int(db->ops->foreign_keys(db, &on, &err), RT_OK, "foreign_keys");
	ok(on, "reads on");
	db_close(db);
	free(path);
}

/* The lock belongs to the file: handles on a symlink and on a hard link
 * of a locked database cannot take it (flock conflicts between two
 * descriptors of one process as between two processes). */
static void test_lock_names(const char *path)
{
	char *sym = path_in("sym.db"), *hard = path_in("hard.db");
	char *err = NULL, *holder = NULL;
	ok(symlink(path, sym) == 0 && link(path, hard) == 0, "a symlink and a hard link");
	struct db *a = open_db(path, "app_version"), *b = open_db(sym, "app_version"),
	          *c = open_db(hard, "app_version");
	is_int(a->ops->lock(a, &(struct db_wait){.timeout = 1}, &err), RT_OK, "the lock, through the path");
	is_int(b->ops->lock(b, &(struct db_wait){.timeout = 0.1}, &err), RT_ELOCK, "not through the symlink meanwhile");
	free(err);
	err = NULL;
	is_int(c->ops->lock(c, &(struct db_wait){.timeout = 0.1}, &err), RT_ELOCK, "nor through the hard link");
	free(err);
	err = NULL;
	char *mine = xasprintf("pid %ld on ", (long)getpid());
	is_int(b->ops->lock_holder(b, &holder, &err), RT_OK, "lock_holder through the symlink");
	ok(holder && strncmp(holder, mine, strlen(mine)) == 0, "names the holder: %s",
	   holder ? holder : "(null)");
	free(holder);
	holder = NULL;
	is_int(c->ops->lock_holder(c, &holder, &err), RT_OK, "lock_holder through the hard link");
	ok(holder != NULL, "says it is held: %s", holder ? holder : "(null)");
	free(holder);
	char *stray = xasprintf("%s.lock", sym);
	ok(access(stray, F_OK) != 0, "no lock file beside the symlink");
	a->ops->unlock(a);
	is_int(c->ops->lock(c, &(struct db_wait){.timeout = 1}, &err), RT_OK, "once released, through the hard link");
	c->ops->unlock(c);
	db_close(a);
	db_close(b);
	db_close(c);
	unlink(sym);
	unlink(hard);
	free(stray);
	free(mine);
	free(sym);
	free(hard);
}

static double last_fraction = -1;
static int progress_calls;

static void on_progress(void *ctx, double fraction)
{
	(void)ctx;
	last_fraction = fraction;
	progress_calls++;
}

static void test_backup(struct db *db)
{
	char *dest = path_in("copy.db");
	char *err = NULL;
	is_int(db->ops->backup(db, dest, on_progress, NULL, &err), RT_OK,
	       "backup: %s", err ? err : "");
	ok(progress_calls > 0 && last_fraction == 1.0,
	   "progress ends at 1 (%d calls)", progress_calls);
	struct stat st;
	ok(stat(dest, &st) == 0 && (st.st_mode & 0777) == 0600,
	   "the copy is private (mode 0600)");

	struct db *copy = open_db(dest, "app_version");
	ok(copy != NULL, "the copy opens");
	if (copy) {
		is_heads(copy, "aaaa", "the copy has the version row");
		struct history_row *rows = NULL;
		uint32_t n = 0;
		is_int(copy->ops->history_read(copy, NULL, &rows, &n, &err), RT_OK,
		       "the copy's ledger reads");
		is_int(n, 2, "with both rows");
		db_history_free(rows, n);
		db_close(copy);
	}

	off_t size = file_size(dest);
	is_int(db->ops->backup(db, dest, NULL, NULL, &err), RT_EINPUT,
	       "a backup never overwrites a file");
	ok(err && strstr(err, "already exists"), "saying so: %s",
	   err ? err : "(null)");
	is_int(file_size(dest), size, "the existing file is untouched");
	free(err);
	free(dest);
}

static void test_memory(void)
{
	struct db *db = open_db(":memory:", "retort_version");
	char *err = NULL, *holder = (char *)"x";
	ok(db != NULL, "open :memory:");
	is_int(db->ops->lock(db, &(struct db_wait){.timeout = 0}, &err), RT_OK, "its lock is a no-op");
	is_int(db->ops->lock_holder(db, &holder, &err), RT_OK, "lock_holder");
	ok(holder == NULL, "and has no holder");
	is_int(db->ops->ensure_tables(db, &err), RT_OK, "ensure_tables");
	is_int(db->ops->version_insert(db, "abc", &err), RT_OK, "insert");
	is_heads(db, "abc", "read back");
	db->ops->unlock(db);
	db_close(db);
	ok(access(":memory:.lock", F_OK) != 0, "no lock file for :memory:");
}

int main(void)
{
	if (!tap_mkdtemp(dir, sizeof dir, "rt-db-sqlite")) {
		perror("mkdtemp");
		return 1;
	}
	test_fresh_read();
	test_bad_table();

	char *path = path_in("app.db");
	struct db *db = open_db(path, "app_version");
	ok(db != NULL, "open app.db");
	test_versions(db, path);
	test_transactions(db, path);
	char *err = NULL;
	is_int(db->ops->version_insert(db, "aaaa", &err), RT_OK, "insert aaaa");
	test_history(db, path);
	test_lock(path);
	test_lock_names(path);
	test_busy(path);
	test_backup(db);
	check_intent_record(db);
	db_close(db);
	test_memory();
	test_foreign_keys();

	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	free(cmd);
	free(path);
	return done_testing();
}
