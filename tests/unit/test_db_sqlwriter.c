/* test_db_sqlwriter.c: the offline renderer behind --sql, text in, text out. */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "tap.h"
#include "db_test.h"
#include "util.h"

static const char want_pg[] =
	"CREATE TABLE IF NOT EXISTS \"retort_version\" (\n"
	"    version_num VARCHAR(32) NOT NULL,\n"
	"    CONSTRAINT \"retort_version_pkc\" PRIMARY KEY (version_num)\n"
	");\n"
	"\n"
	"BEGIN;\n"
	"-- Running upgrade a1 -> b2, Add users\n"
	"CREATE TABLE users (id int);\n"
	"\n"
	"INSERT INTO users VALUES ('x');\n"
	"\n"
	"SELECT 1 -- the answer\n"
	";\n"
	"\n"
	"DELETE FROM \"retort_version\" WHERE version_num = 'a1';\n"
	"INSERT INTO \"retort_version\" (version_num) VALUES ('b2');\n"
	"COMMIT;\n"
	"-- two\n"
	"-- lines\n"
	"--\n"
	"-- after a blank one\n"
	"BEGIN;\n"
	"INSERT INTO \"retort_version\" (version_num) VALUES ('it''s');\n"
	"DELETE FROM \"retort_version\";\n"
	"ROLLBACK;\n";

static void test_sequence(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	const char *const start[] = {"a1"};
	struct db *db = NULL;
	char *err = NULL;
	is_int(db_sqlwriter_open(f, SQL_POSTGRES, "retort_version", start, 1, &db),
	       RT_OK, "open the writer");
	is_str(db->ops->name, "sql", "backend name");
	is_heads(db, "a1", "read_heads reports the start heads");

	static const struct history_row row = {.revision = (char *)"b2"};
	int rc = RT_OK;
	rc |= db->ops->lock(db, &(struct db_wait){.timeout = 60}, &err);
	rc |= db->ops->ensure_tables(db, &err);
	rc |= db->ops->begin(db, &err);
	db->ops->note(db, "Running upgrade a1 -> b2, Add users");
	rc |= db->ops->exec(db, "CREATE TABLE users (id int)", &err);
	rc |= db->ops->exec(db, "INSERT INTO users VALUES ('x');\n  ", &err);
	rc |= db->ops->exec(db, "SELECT 1 -- the answer", &err);
	rc |= db->ops->exec(db, " \n\t", &err);
	rc |= db->ops->version_delete(db, "a1", &err);
	rc |= db->ops->version_insert(db, "b2", &err);
	rc |= db->ops->history_insert(db, &row, &err);
	rc |= db->ops->commit(db, &err);
	is_heads(db, "b2", "read_heads follows the rendered version changes");
	db->ops->note(db, "two\nlines\n\nafter a blank one");
	rc |= db->ops->begin(db, &err);
	rc |= db->ops->version_insert(db, "it's", &err);
	is_heads(db, "b2 it's", "two heads");
	rc |= db->ops->version_purge(db, &err);
	is_heads(db, "", "none after a purge");
	rc |= db->ops->rollback(db, &err);
	db->ops->unlock(db);
	is_int(rc, RT_OK, "every call succeeds");
	ok(err == NULL, "and leaves no error");
	fflush(f);
	is_str(text, want_pg, "the rendered script");

	char *holder = (char *)"x";
	is_int(db->ops->lock_holder(db, &holder, &err), RT_OK, "lock_holder");
	ok(holder == NULL, "nobody holds an offline lock");
	struct history_row *rows = (struct history_row *)1;
	uint32_t n = 1;
	is_int(db->ops->history_read(db, NULL, &rows, &n, &err), RT_OK,
	       "history_read");
	ok(rows == NULL && n == 0, "an offline run has no ledger");
	is_int(db->ops->backup(db, "/tmp/never", NULL, NULL, &err), RT_EUSAGE,
	       "backup is refused");
	is_str(err, "backup needs a database connection", "with a reason");
	free(err);
	db_close(db);
	fclose(f);
	free(text);
}

static void test_sqlite_dialect(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct db *db = NULL;
	char *err = NULL;
	is_int(db_sqlwriter_open(f, SQL_SQLITE, "alembic_version", NULL, 0, &db),
	       RT_OK, "open the writer for SQLite");
	is_heads(db, "", "no start heads");
	is_int(db->ops->ensure_tables(db, &err), RT_OK, "ensure_tables");
	is_int(db->ops->version_insert(db, "ae1027a6acf", &err), RT_OK, "insert");
	db_close(db);
	fclose(f);
	is_str(text,
	       "CREATE TABLE IF NOT EXISTS \"alembic_version\" (\n"
	       "    version_num VARCHAR(32) NOT NULL,\n"
	       "    CONSTRAINT \"alembic_version_pkc\" PRIMARY KEY (version_num)\n"
	       ");\n\n"
	       "INSERT INTO \"alembic_version\" (version_num) VALUES ('ae1027a6acf');\n",
	       "an Alembic version table, rendered");
	free(text);
}

static void test_refusals(void)
{
	struct db *db = NULL;
	is_int(db_sqlwriter_open(stdout, SQL_SQLITE, "bad name", NULL, 0, &db),
	       RT_EINPUT, "an invalid version table is refused");
	ok(db == NULL, "without a handle");

	struct db_url url = {DB_SQLITE, (char *)"x.db", NULL, (char *)"x.db",
	                     (char *)"x", 0};
	char *err = NULL;
	is_int(db_sqlwriter_ops.open(&url, "retort_version", &db, &err), RT_EUSAGE,
	       "the writer does not open URLs");
	ok(err && strstr(err, "db_sqlwriter_open"), "and says what to use");
	free(err);
}

/* The ledger's words, read back as the values they were written from. */
static void test_history_words(void)
{
	for (int d = 0; d < HISTORY_DIR_OTHER; d++) {
		struct history_row r = {.direction = (char *)history_dir_word((enum history_dir)d)};
		is_int(history_dir(&r), d, "direction '%s' reads back", r.direction);
	}
	for (int o = 0; o < HISTORY_OUTCOME_OTHER; o++) {
		struct history_row r = {.outcome = (char *)history_outcome_word((enum history_outcome)o)};
		is_int(history_outcome(&r), o, "outcome '%s' reads back", r.outcome);
	}
	struct history_row later = {.direction = (char *)"squash", .outcome = (char *)"skipped"};
	is_int(history_dir(&later), HISTORY_DIR_OTHER, "an unknown direction is other");
	is_int(history_outcome(&later), HISTORY_OUTCOME_OTHER, "an unknown outcome is other");
	struct history_row none = {0};
	is_int(history_dir(&none), HISTORY_DIR_OTHER, "no direction is other");
}

int main(void)
{
	test_history_words();
	test_sequence();
	test_sqlite_dialect();
	test_refusals();
	return done_testing();
}
