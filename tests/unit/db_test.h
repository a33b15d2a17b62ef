/* db_test.h: what the database backend tests share: reading heads as one
 * string, two ledger rows and their round-trip check. Header-only, after
 * tap.h. */
#ifndef RT_DB_TEST_H
#define RT_DB_TEST_H

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "util.h"

#define has(err, text) ((err) && strstr((err), (text)))
#define show(err) ((err) ? (err) : "(null)")

/* The heads, space-separated, or "error: …". Caller frees. */
static inline char *heads_str(struct db *db)
{
	char **v = NULL, *err = NULL;
	uint32_t n = 0;
	if (db->ops->read_heads(db, &v, &n, &err) != RT_OK) {
		char *s = xasprintf("error: %s", show(err));
		free(err);
		return s;
	}
	struct strbuf sb = STRBUF_INIT;
	for (uint32_t i = 0; i < n; i++)
		sb_addf(&sb, "%s%s", i ? " " : "", v[i]);
	db_strv_free(v, n);
	return sb_detach(&sb);
}

#define is_heads(db, want, name) do { \
	char *got_ = heads_str(db); \
	is_str(got_, want, name); \
	free(got_); \
} while (0)

/* A success with every optional field set, and a failure with the
 * optional fields empty, times across midnight and an inexact duration. */
static const struct history_row row_ok = {
	0, (char *)"aaaa", (char *)"upgrade", (char *)"ok", (char *)"",
	(char *)"aaaa",
	(char *)"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	(char *)"2026-11-21 10:30:00.125", (char *)"2026-11-21 10:30:01.500",
	1375.25, (char *)"ignored", (char *)"alice", (char *)"build-7",
	(char *)"0.1.0", 0, 0, NULL, 4242};
static const struct history_row row_failed = {
	0, (char *)"bbbb", (char *)"upgrade", (char *)"failed", (char *)"aaaa",
	(char *)"aaaa", NULL, (char *)"2026-11-21 23:59:59.999",
	(char *)"2026-11-22 00:00:00.042", 0.1, NULL, (char *)"bob",
	(char *)"host'2", (char *)"0.1.0", 17, 12,
	(char *)"relation \"users\" does not exist", 0};

/* db_user is the backend's to fill: NULL for SQLite, the role for
 * PostgreSQL. */
static inline void check_row(const struct history_row *got,
                      const struct history_row *want, const char *db_user,
                      const char *what)
{
	is_str(got->revision, want->revision, "%s: revision", what);
	is_str(got->direction, want->direction, "%s: direction", what);
	is_str(got->outcome, want->outcome, "%s: outcome", what);
	is_str(got->heads_before, want->heads_before, "%s: heads_before", what);
	is_str(got->heads_after, want->heads_after, "%s: heads_after", what);
	is_str(got->checksum, want->checksum, "%s: checksum", what);
	is_str(got->started_at, want->started_at, "%s: started_at", what);
	is_str(got->finished_at, want->finished_at, "%s: finished_at", what);
	ok(got->duration_ms == want->duration_ms, "%s: duration_ms %g", what,
	   got->duration_ms);
	is_str(got->db_user, db_user, "%s: db_user", what);
	is_str(got->os_user, want->os_user, "%s: os_user", what);
	is_str(got->host, want->host, "%s: host", what);
	is_str(got->retort_version, want->retort_version, "%s: retort_version",
	       what);
	is_int(got->error_line, want->error_line, "%s: error_line", what);
	is_int(got->last_ok_line, want->last_ok_line, "%s: last_ok_line", what);
	is_str(got->error, want->error, "%s: error", what);
	is_int(got->pid, want->pid, "%s: pid", what);
}

/* Writes both rows and reads them back, all and by revision. */
static inline void check_history_round_trip(struct db *db, const char *db_user)
{
	char *err = NULL;
	is_int(db->ops->history_insert(db, &row_ok, &err), RT_OK,
	       "history row 1: %s", show(err));
	is_int(db->ops->history_insert(db, &row_failed, &err), RT_OK,
	       "history row 2 (a failure): %s", show(err));

	struct history_row *rows = NULL;
	uint32_t n = 0;
	is_int(db->ops->history_read(db, NULL, &rows, &n, &err), RT_OK,
	       "history_read");
	is_int(n, 2, "two rows");
	if (n == 2) {
		ok(rows[0].id > 0 && rows[1].id > rows[0].id, "ids ascend: %lld %lld",
		   (long long)rows[0].id, (long long)rows[1].id);
		check_row(&rows[0], &row_ok, db_user, "row 1");
		check_row(&rows[1], &row_failed, db_user, "row 2");
	}
	db_history_free(rows, n);

	is_int(db->ops->history_read(db, "bbbb", &rows, &n, &err), RT_OK,
	       "history_read of one revision");
	is_int(n, 1, "one row");
	if (n == 1)
		is_str(rows[0].outcome, "failed", "the right one");
	db_history_free(rows, n);
	is_int(db->ops->history_read(db, "nope", &rows, &n, &err), RT_OK,
	       "history_read of an unknown revision");
	is_int(n, 0, "no rows");
	db_history_free(rows, n);
	free(err);
}

/* The ledger's rows about rev, oldest first, as "outcome:last_ok_line"
 * words. Caller frees. */
static inline char *rows_of(struct db *db, const char *rev)
{
	struct history_row *rows = NULL;
	uint32_t n = 0;
	char *err = NULL;
	struct strbuf sb = STRBUF_INIT;
	if (db->ops->history_read(db, rev, &rows, &n, &err) != RT_OK)
		sb_addf(&sb, "error: %s", show(err));
	for (uint32_t i = 0; i < n; i++)
		sb_addf(&sb, "%s%s:%lld", i ? " " : "", rows[i].outcome,
		        (long long)rows[i].last_ok_line);
	db_history_free(rows, n);
	free(err);
	return sb_detach(&sb);
}

/* The revisions history_open reports, space-separated. Caller frees. */
static inline char *open_revs(struct db *db)
{
	struct history_row *rows = NULL;
	uint32_t n = 0;
	char *err = NULL;
	struct strbuf sb = STRBUF_INIT;
	if (db->ops->history_open(db, &rows, &n, &err) != RT_OK)
		sb_addf(&sb, "error: %s", show(err));
	for (uint32_t i = 0; i < n; i++)
		sb_addf(&sb, "%s%s", i ? " " : "", rows[i].revision);
	db_history_free(rows, n);
	free(err);
	return sb_detach(&sb);
}

#define is_got(expr, want, ...) do { \
	char *got_ = (expr); \
	is_str(got_, want, __VA_ARGS__); \
	free(got_); \
} while (0)

/* The intent record of a Transaction: none step: written before its
 * first statement, the line of each statement that ran, overwritten with
 * its outcome; and which rows history_open reports. After
 * check_history_round_trip (whose failed row has last_ok_line 12: open). */
static inline void check_intent_record(struct db *db)
{
	char *err = NULL;
	is_got(open_revs(db), "bbbb", "a failed row with statements that ran is open");
	struct history_row row = row_ok;
	row.revision = (char *)"cccc";
	row.outcome = (char *)"started";
	row.finished_at = NULL;
	int64_t id = 0;
	is_int(db->ops->history_start(db, &row, &id, &err), RT_OK, "history_start: %s",
	       show(err));
	ok(id > 0, "the intent record has an id: %lld", (long long)id);
	is_got(rows_of(db, "cccc"), "started:0", "it is written");
	is_got(open_revs(db), "bbbb cccc", "and open");
	bool ran = false;
	is_int(db->ops->exec_noted(db, "CREATE TABLE t_intent (x INTEGER) -- a comment", id, 8,
	                           12.0, &ran, &err),
	       RT_OK, "exec_noted: %s", show(err));
	ok(ran, "the statement ran");
	is_got(rows_of(db, "cccc"), "started:8", "its line is recorded");
	ran = true;
	is_int(db->ops->exec_noted(db, "INSERT INTO no_such_table VALUES (1)", id, 9, 13.0, &ran,
	                           &err),
	       RT_EDB, "a failing statement");
	ok(!ran && has(err, "no_such_table"), "did not run, and says why: %s", show(err));
	free(err);
	err = NULL;
	is_got(rows_of(db, "cccc"), "started:8", "its line is not recorded");
	is_int(db->ops->exec(db, "INSERT INTO t_intent VALUES (1)", &err), RT_OK,
	       "the first statement's table is there");
	row.id = id;
	row.outcome = (char *)"failed";
	row.last_ok_line = 5;
	is_int(db->ops->history_insert(db, &row, &err), RT_OK, "overwriting it: %s", show(err));
	is_got(rows_of(db, "cccc"), "failed:8", "never takes its last line back");
	row.outcome = (char *)"ok";
	row.last_ok_line = 10;
	row.finished_at = (char *)"2026-11-21 10:30:02.000";
	is_int(db->ops->history_insert(db, &row, &err), RT_OK, "completing it: %s", show(err));
	is_got(rows_of(db, "cccc"), "ok:10", "overwrites the row");
	is_got(open_revs(db), "bbbb", "which is no longer open");

	struct history_row settle = row_ok;
	settle.revision = (char *)"bbbb";
	settle.direction = (char *)"resolve";
	settle.outcome = (char *)"reverted";
	is_int(db->ops->history_insert(db, &settle, &err), RT_OK, "a resolve row: %s", show(err));
	is_got(open_revs(db), "", "settles the failed one");
	struct history_row again = row_failed;
	is_int(db->ops->history_insert(db, &again, &err), RT_OK, "the same failure again");
	is_got(open_revs(db), "bbbb", "is open again");
	struct history_row tx = row_failed;
	tx.last_ok_line = 0;
	is_int(db->ops->history_insert(db, &tx, &err), RT_OK, "a failure with nothing run");
	is_got(open_revs(db), "bbbb", "does not settle it");
	settle.outcome = (char *)"applied";
	is_int(db->ops->history_insert(db, &settle, &err), RT_OK, "resolved again");
	is_got(open_revs(db), "", "nothing open");
	free(err);
}

#endif
