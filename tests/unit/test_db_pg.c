/* test_db_pg.c: the PostgreSQL backend against a real server. Run it
 * through tests/cli/db_pg.sh, which starts a private server and sets
 * PGHOST, PGPORT, PGUSER (a superuser) and RETORT_PG_PW_USER /
 * RETORT_PG_PW_PASSWORD (a role that must give its password). Each run
 * works in a database of its own. */
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "tap.h"
#include "db_test.h"
#include "util.h"

static char dbname[64];
static char *conninfo; /* of the test database */

static int open_db(const char *ci, const char *table, struct db **db,
                   char **err)
{
	struct db_url url = {DB_POSTGRES, NULL, (char *)ci, (char *)"(masked)",
	                     dbname, 0};
	*db = NULL;
	return db_open(&url, table, db, err);
}

static struct db *must_open(const char *ci, const char *table)
{
	struct db *db;
	char *err = NULL;
	if (open_db(ci, table, &db, &err) != RT_OK) {
		printf("# open %s: %s\n", ci, err);
		printf("Bail out! cannot connect\n");
		exit(1);
	}
	return db;
}

/* What is really in the database, over a connection of its own. */
static long long query_int(const char *sql)
{
	PGconn *c = PQconnectdb(conninfo);
	long long v = -1;
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	else
		printf("# %s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	return v;
}

static void clear(char **err)
{
	free(*err);
	*err = NULL;
}

static void test_fresh_read(void)
{
	struct db *db = must_open(conninfo, "retort_version");
	char *err = NULL;
	is_str(db->ops->name, "postgresql", "backend name");
	is_heads(db, "", "a fresh database has no heads");
	struct history_row *rows = NULL;
	uint32_t n = 9;
	is_int(db->ops->history_read(db, NULL, &rows, &n, &err), RT_OK,
	       "reading the ledger of a fresh database succeeds");
	is_int(n, 0, "and finds no rows");
	db_history_free(rows, n);
	char *holder = (char *)"x";
	is_int(db->ops->lock_holder(db, &holder, &err), RT_OK, "lock_holder");
	ok(holder == NULL, "nobody holds the lock");
	db_close(db);
	is_int(query_int("SELECT count(*) FROM pg_class WHERE relnamespace = "
	                 "'public'::regnamespace"), 0,
	       "reading created nothing");
}

static void test_connect_errors(void)
{
	struct db *db;
	char *err = NULL;
	is_int(open_db(conninfo, "no-dashes", &db, &err), RT_EINPUT,
	       "an invalid version table name is refused");
	ok(db == NULL, "without a handle");
	clear(&err);

	const char *port = getenv("PGPORT");
	char *ci = xasprintf("postgresql://%s:wrong-pw-1234@127.0.0.1:%s/%s",
	                     getenv("RETORT_PG_PW_USER"), port, dbname);
	is_int(open_db(ci, "retort_version", &db, &err), RT_EDB,
	       "a wrong password fails");
	ok(has(err, "password authentication failed"), "with libpq's message: %s",
	   show(err));
	ok(err && !strstr(err, "wrong-pw-1234"), "which does not show the password");
	ok(err && err[strlen(err) - 1] != '\n', "and has no trailing newline");
	clear(&err);
	free(ci);
}

static void test_versions(struct db *db)
{
	char *err = NULL;
	is_int(db->ops->ensure_tables(db, &err), RT_OK, "ensure_tables: %s",
	       show(err));
	is_int(db->ops->ensure_tables(db, &err), RT_OK,
	       "ensure_tables again (IF NOT EXISTS)");
	is_int(query_int("SELECT count(*) FROM pg_tables WHERE tablename IN "
	                 "('app_version', 'retort_history')"), 2,
	       "both tables exist");
	is_int(query_int("SELECT count(*) FROM pg_constraint WHERE "
	                 "conname = 'app_version_pkc' AND contype = 'p'"), 1,
	       "the version table has Alembic's named primary key");
	is_int(query_int("SELECT count(*) FROM information_schema.columns WHERE "
	                 "table_name = 'retort_history' AND ((column_name = 'id' "
	                 "AND data_type = 'bigint') OR (column_name = 'started_at' "
	                 "AND data_type = 'timestamp with time zone'))"), 2,
	       "the ledger has PostgreSQL types");

	is_int(db->ops->version_insert(db, "bbbb", &err), RT_OK, "insert bbbb");
	is_int(db->ops->version_insert(db, "aaaa", &err), RT_OK, "insert aaaa");
	is_heads(db, "aaaa bbbb", "read_heads, sorted");
	is_int(db->ops->version_insert(db, "aaaa", &err), RT_EDB,
	       "a duplicate head is a database error");
	ok(has(err, "duplicate key") && has(err, "\nDETAIL:  Key (version_num)"),
	   "with the server's message and detail");
	ok(err && !strstr(err, "ERROR:"), "without libpq's severity prefix");
	clear(&err);
	is_int(db->ops->version_delete(db, "aaaa", &err), RT_OK, "delete aaaa");
	is_heads(db, "bbbb", "one head left");
	is_int(db->ops->version_delete(db, "zzzz", &err), RT_EDB,
	       "deleting a head that is not there fails");
	ok(has(err, "'zzzz'") && has(err, "0 found"), "saying so: %s", show(err));
	clear(&err);
	is_int(db->ops->version_insert(db, "it's", &err), RT_OK,
	       "values are bound, not spliced");
	is_heads(db, "bbbb it's", "the quote survived");
	is_int(db->ops->version_purge(db, &err), RT_OK, "purge");
	is_heads(db, "", "no heads after purge");
}

static void test_transactions(struct db *db)
{
	char *err = NULL;
	is_int(db->ops->begin(db, &err), RT_OK, "begin");
	is_int(db->ops->exec(db, "CREATE TABLE accounts (id int PRIMARY KEY)", &err),
	       RT_OK, "DDL inside the transaction");
	is_int(db->ops->version_insert(db, "c0ffee", &err), RT_OK, "version row");
	is_int(db->ops->rollback(db, &err), RT_OK, "rollback");
	is_int(query_int("SELECT count(*) FROM pg_tables WHERE tablename = 'accounts'"),
	       0, "the rollback undid the CREATE TABLE");
	is_heads(db, "", "and the version row");

	is_int(db->ops->begin(db, &err), RT_OK, "begin");
	is_int(db->ops->exec(db, "CREATE TABLE accounts (id int PRIMARY KEY);", &err),
	       RT_OK, "DDL");
	is_int(db->ops->version_insert(db, "c0ffee", &err), RT_OK, "version row");
	is_int(db->ops->commit(db, &err), RT_OK, "commit");
	is_int(query_int("SELECT count(*) FROM pg_tables WHERE tablename = 'accounts'"),
	       1, "the commit kept the table");
	is_heads(db, "c0ffee", "and the version row");

	is_int(db->ops->exec(db, "SELEC 1", &err), RT_EDB, "a bad statement fails");
	ok(has(err, "syntax error at or near \"SELEC\""), "with the server's message: %s",
	   show(err));
	clear(&err);

	is_int(db->ops->begin(db, &err), RT_OK, "begin");
	is_int(db->ops->exec(db, "INSERT INTO accounts VALUES (1)", &err), RT_OK,
	       "insert");
	is_int(db->ops->exec(db, "INSERT INTO accounts VALUES (1)", &err), RT_EDB,
	       "a failing statement");
	clear(&err);
	is_int(db->ops->commit(db, &err), RT_EDB,
	       "committing a failed transaction is an error, not a silent rollback");
	ok(has(err, "rolled back"), "saying so: %s", show(err));
	clear(&err);
	is_int(query_int("SELECT count(*) FROM accounts"), 0, "nothing was kept");

	is_int(db->ops->exec(db, "COPY accounts FROM STDIN", &err), RT_EDB,
	       "COPY FROM STDIN fails instead of hanging");
	ok(has(err, "not supported"), "with a reason: %s", show(err));
	clear(&err);
	is_int(db->ops->exec(db, "COPY accounts TO STDOUT", &err), RT_OK,
	       "COPY TO STDOUT is drained");
	is_heads(db, "c0ffee", "the connection is still usable");
	is_int(db->ops->exec(db, "", &err), RT_OK, "an empty statement is fine");
	db->ops->note(db, "nothing to see");
}

static void test_history(struct db *db)
{
	char *err = NULL;
	/* the stored instant must not depend on the session's zone */
	is_int(db->ops->exec(db, "SET TIME ZONE 'Asia/Tokyo'", &err), RT_OK,
	       "a session in another time zone");
	check_history_round_trip(db, getenv("PGUSER"));
	is_int(query_int("SELECT count(*) FROM retort_history WHERE "
	                 "started_at = '2026-11-21 10:30:00.125+00'"), 1,
	       "times are stored as UTC");
	is_int(query_int("SELECT count(*) FROM retort_history WHERE "
	                 "error_line IS NULL AND revision = 'aaaa'"), 1,
	       "line 0 is stored as NULL");
	check_intent_record(db);
	/* what cannot share a transaction with the ledger's record runs alone */
	char *e = NULL;
	bool ran = false;
	is_int(db->ops->exec_noted(db, "CREATE INDEX CONCURRENTLY t_intent_x ON t_intent (x)", 1, 5,
	                           1.0, &ran, &e), RT_OK, "CREATE INDEX CONCURRENTLY: %s", show(e));
	ok(ran, "it ran");
	is_int(query_int("SELECT last_ok_line FROM retort_history WHERE id = 1"), 5,
	       "and its line is recorded");
	free(e);
}

/* A step's version rows and ledger row in one statement (a version table
 * of its own, so that the rows of the other tests stay). */
static void test_step_record(void)
{
	char *err = NULL;
	struct db *db = must_open(conninfo, "step_version");
	is_int(db->ops->ensure_tables(db, &err), RT_OK, "ensure_tables: %s", show(err));
	struct history_row row = {0};
	row.revision = (char *)"s2";
	row.direction = (char *)"upgrade";
	row.outcome = (char *)"ok";
	row.heads_before = row.heads_after = (char *)"";
	row.started_at = row.finished_at = (char *)"2026-11-22 10:00:00.000";
	row.os_user = row.host = row.retort_version = (char *)"test";
	ok(db->ops->step_record != NULL, "PostgreSQL records a step in one statement");
	const char *none[] = {NULL};
	const char *s1[] = {"s1"}, *s2[] = {"s2"}, *s3[] = {"s3a", "s3b"}, *ghost[] = {"ghost"};
	is_int(db->ops->step_record(db, none, 0, s1, 1, &row, &err), RT_OK,
	       "from base: one insert and the ledger row: %s", show(err));
	is_heads(db, "s1", "s1 is the head");
	is_int(db->ops->step_record(db, s1, 1, s2, 1, &row, &err), RT_OK,
	       "s1 -> s2: %s", show(err));
	is_heads(db, "s2", "s2 replaced s1");
	is_int(db->ops->step_record(db, s2, 1, s3, 2, &row, &err), RT_OK, "a branch: one out, two in");
	is_heads(db, "s3a s3b", "two heads");
	is_int(db->ops->step_record(db, s3, 2, s1, 1, &row, &err), RT_OK, "a merge: two out, one in");
	is_heads(db, "s1", "one head again");
	is_int(query_int("SELECT count(*) FROM retort_history WHERE revision = 's2'"), 4,
	       "a ledger row for each step");
	is_int(db->ops->begin(db, &err), RT_OK, "begin");
	is_int(db->ops->step_record(db, ghost, 1, s2, 1, &row, &err), RT_EDB,
	       "a row to delete that is not there fails the step");
	ok(has(err, "'ghost'") && has(err, "0 found"), "saying so: %s", show(err));
	clear(&err);
	is_int(db->ops->rollback(db, &err), RT_OK, "rollback");
	is_heads(db, "s1", "and nothing of it stays");
	is_int(query_int("SELECT count(*) FROM retort_history WHERE revision = 's2'"), 4,
	       "not even its ledger row");
	db_close(db);
}

struct told {
	int calls, done;
	char *holder;
};

/* A face told about a wait; it cancels at the third call. */
static bool on_wait(void *ctx, double elapsed, const char *holder)
{
	struct told *t = ctx;
	if (holder && !t->holder)
		t->holder = xstrdup(holder);
	return ++t->calls < 3;
}

static void on_done(void *ctx)
{
	((struct told *)ctx)->done++;
}

static void test_lock(void)
{
	struct db *a = must_open(conninfo, "app_version");
	struct db *b = must_open(conninfo, "app_version");
	struct db *other = must_open(conninfo, "other_version");
	char *err = NULL, *holder = NULL;

	is_int(a->ops->lock(a, &(struct db_wait){.timeout = 1}, &err), RT_OK, "one session takes the lock");
	is_int(a->ops->lock(a, &(struct db_wait){.timeout = 1}, &err), RT_OK, "taking it twice is harmless");
	double t0 = now_monotonic();
	is_int(b->ops->lock(b, &(struct db_wait){.timeout = 0.3}, &err), RT_ELOCK,
	       "another session cannot take it");
	double waited = now_monotonic() - t0;
	ok(waited >= 0.29 && waited < 5, "it waited for the timeout (%.2f s)", waited);
	char *app = xasprintf("(retort %ld@", (long)getpid());
	ok(has(err, "held by pid ") && has(err, " on 127.0.0.1 as ") &&
	   has(err, " since 20") && has(err, app),
	   "the error names the holder: %s", show(err));
	clear(&err);
	is_int(b->ops->lock_holder(b, &holder, &err), RT_OK, "lock_holder");
	ok(holder && strncmp(holder, "pid ", 4) == 0 && strstr(holder, app),
	   "names the holder: %s", show(holder));
	free(holder);
	struct told t = {0};
	t0 = now_monotonic();
	is_int(b->ops->lock(b, &(struct db_wait){30, on_wait, on_done, &t}, &err), RT_EINTR,
	       "a face told about the wait may cancel it");
	ok(now_monotonic() - t0 < 5 && t.calls == 3 && t.done == 1, "at once, told every ~100 ms "
	   "(%d calls), and told the end", t.calls);
	ok(t.holder && strstr(t.holder, app), "with the holder: %s", show(t.holder));
	ok(has(err, "cancelled after") && has(err, app), "the error says so: %s", show(err));
	free(t.holder);
	clear(&err);
	is_int(other->ops->lock(other, &(struct db_wait){.timeout = 0}, &err), RT_OK,
	       "another version table has a lock of its own");
	other->ops->unlock(other);

	is_int(a->ops->begin(a, &err), RT_OK, "a transaction on the holder");
	a->ops->unlock(a);
	is_int(b->ops->lock_holder(b, &holder, &err), RT_OK, "lock_holder");
	ok(holder == NULL, "nobody holds it after unlock, even inside a transaction");
	is_int(a->ops->rollback(a, &err), RT_OK, "rollback");

	is_int(b->ops->lock(b, &(struct db_wait){.timeout = 1}, &err), RT_OK, "the other session takes it now");
	db_close(b);
	is_int(a->ops->lock(a, &(struct db_wait){.timeout = 0}, &err), RT_OK, "closing the handle released it");
	db_close(a);
	db_close(other);
	free(app);
}

static void test_backup(void)
{
	char tmp[PATH_MAX];
	if (!tap_mkdtemp(tmp, sizeof tmp, "rt-db-pg"))
		abort();
	char *dest = xasprintf("%s/dump.sql", tmp);
	char *ci = xasprintf("postgresql://%s:%s@127.0.0.1:%s/%s",
	                     getenv("RETORT_PG_PW_USER"),
	                     getenv("RETORT_PG_PW_PASSWORD"), getenv("PGPORT"),
	                     dbname);
	char *err = NULL;
	unsetenv("PGPASSWORD");
	struct db *db;
	is_int(open_db(ci, "app_version", &db, &err), RT_OK,
	       "connect with a password in the URL: %s", show(err));
	if (!db) {
		free(ci);
		free(dest);
		return;
	}
	is_heads(db, "c0ffee", "as a role that needs it");

	is_int(db->ops->backup(db, dest, NULL, NULL, &err), RT_OK,
	       "pg_dump, given the password: %s", show(err));
	char *text = NULL;
	size_t len = 0;
	if (read_file(dest, &text, &len, &err) != RT_OK)
		clear(&err);
	ok(text && strstr(text, "CREATE TABLE public.app_version") &&
	   strstr(text, "c0ffee"), "the dump has the version table and its row");
	ok(text && !strstr(text, "OWNER TO"), "and no owners (--no-owner)");
	struct stat st;
	ok(stat(dest, &st) == 0 && (st.st_mode & 0777) == 0600,
	   "the dump is private (mode 0600)");

	is_int(db->ops->backup(db, dest, NULL, NULL, &err), RT_EINPUT,
	       "a backup never overwrites a file");
	ok(has(err, "already exists"), "saying so: %s", show(err));
	clear(&err);

	char *dest2 = xasprintf("%s/none.sql", tmp);
	char *path = xstrdup(getenv("PATH"));
	setenv("PATH", "/nonexistent", 1);
	is_int(db->ops->backup(db, dest2, NULL, NULL, &err), RT_EFAIL,
	       "a missing pg_dump fails");
	setenv("PATH", path, 1);
	ok(has(err, "exit status 127") && has(err, "pg_dump"), "saying why: %s",
	   show(err));
	ok(access(dest2, F_OK) != 0, "and leaves no file behind");
	clear(&err);
	db_close(db);

	free(text);
	free(path);
	free(dest2);
	unlink(dest);
	rmdir(tmp);
	free(dest);
	free(ci);
}

int main(void)
{
	if (!getenv("PGPORT") || !getenv("RETORT_PG_PW_USER")) {
		printf("Bail out! run me through tests/cli/db_pg.sh (PGPORT unset)\n");
		return 1;
	}
	snprintf(dbname, sizeof dbname, "rt_test_%ld_%ld", (long)getpid(),
	         (long)time(NULL));
	struct db *admin = must_open("dbname=postgres", "retort_version");
	char *err = NULL;
	char *sql = xasprintf("CREATE DATABASE %s", dbname);
	int rc = admin->ops->exec(admin, sql, &err);
	free(sql);
	if (rc != RT_OK) {
		printf("Bail out! %s\n", err);
		return 1;
	}
	conninfo = xasprintf("dbname=%s", dbname);

	test_fresh_read();
	test_connect_errors();
	struct db *db = must_open(conninfo, "app_version");
	test_versions(db);
	test_transactions(db);
	test_history(db);
	db_close(db);
	test_step_record();
	test_lock();
	test_backup();

	sql = xasprintf("DROP DATABASE %s", dbname);
	is_int(admin->ops->exec(admin, sql, &err), RT_OK, "drop the test database: %s",
	       show(err));
	free(sql);
	db_close(admin);
	free(conninfo);
	return done_testing();
}
