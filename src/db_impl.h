/* db_impl.h: what the backends share. For db_*.c only; callers use db.h.
 *
 * The connected backends (SQLite, PostgreSQL) differ in how they talk to
 * the database, not in what they say: each supplies one query primitive
 * (struct db_query), and db.c builds the table statements on it. */
#ifndef RT_DB_IMPL_H
#define RT_DB_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"

/* Called once per result row with the columns as text (NULL for SQL
 * NULL), borrowed for the call. */
typedef void db_row_fn(void *ctx, const char *const *cols, int ncols);

struct db_query {
	/* Runs one statement with text parameters (NULL binds SQL NULL; the
	 * SQL writes them ?N for SQLite, $N for PostgreSQL). row may be NULL;
	 * *changes, if given, receives the number of rows written. */
	int (*run)(struct db *db, const char *sql, const char *const *args,
	           int nargs, db_row_fn *row, void *ctx, long *changes,
	           char **err);
	/* Whether the table is there to read; must not write anything. */
	int (*table_exists)(struct db *db, const char *name, bool *exists,
	                    char **err);
};

/* The head of a connected backend's handle. */
struct db_online {
	struct db base;
	const struct db_query *query;
	/* The ledger was seen to have its pid column (ledgers of older
	 * versions lack it until a run adds it). */
	bool ledger_has_pid;
};

/* Fills the common part of a handle; RT_EINPUT when the version table is
 * not a valid identifier (it is spliced into SQL, double-quoted). */
int db_base_init(struct db *db, const struct db_ops *ops,
                 enum sql_dialect dialect, const char *version_table,
                 char **err);

/* CREATE TABLE IF NOT EXISTS without a trailing ';'. Caller frees. */
char *db_ddl_version_table(enum sql_dialect dialect, const char *table);

/* The table operations of db_ops, for connected backends (struct
 * db_online): plug them straight into the ops table. */
int db_online_ensure_tables(struct db *db, char **err);
int db_online_read_heads(struct db *db, char ***revs, uint32_t *n,
                         char **err);
int db_online_version_insert(struct db *db, const char *rev, char **err);
int db_online_version_delete(struct db *db, const char *rev, char **err);
int db_online_version_purge(struct db *db, char **err);
int db_online_history_insert(struct db *db, const struct history_row *row,
                             char **err);
/* step_record with data-modifying WITH queries (PostgreSQL). */
int db_online_step_record(struct db *db, const char *const *del, uint32_t ndel,
                          const char *const *ins, uint32_t nins,
                          const struct history_row *row, char **err);
int db_online_history_read(struct db *db, const char *revision,
                           struct history_row **rows, uint32_t *n,
                           char **err);
int db_online_history_start(struct db *db, const struct history_row *row,
                            int64_t *id, char **err);
/* exec_noted as two statements: the statement, then the record. */
int db_online_exec_noted(struct db *db, const char *sql, int64_t id,
                         int64_t line, double ms, bool *ran, char **err);
int db_online_history_open(struct db *db, struct history_row **rows,
                           uint32_t *n, char **err);
/* The record of exec_noted as one statement with its values written in
 * (numbers only), for sending in the same round trip as the statement.
 * Caller frees. */
char *db_history_progress_sql(int64_t id, int64_t line, double ms);
/* note: a comment for rendered SQL, nothing to do on a connection. */
void db_online_note(struct db *db, const char *text);

/* Those entries of a connected backend's ops table. */
#define DB_ONLINE_OPS                                                         \
	.note = db_online_note,                                                   \
	.ensure_tables = db_online_ensure_tables,                                 \
	.read_heads = db_online_read_heads,                                       \
	.version_insert = db_online_version_insert,                               \
	.version_delete = db_online_version_delete,                               \
	.version_purge = db_online_version_purge,                                 \
	.history_insert = db_online_history_insert,                               \
	.history_read = db_online_history_read,                                   \
	.history_start = db_online_history_start,                                 \
	.history_open = db_online_history_open

/* A growable array of malloc'd strings, handed out as read_heads' result. */
struct db_strv {
	char **v;
	uint32_t n;
	uint32_t cap;
};
void db_strv_push(struct db_strv *sv, const char *s);
/* Moves the array out (*v may be NULL when n is 0) and resets sv. */
void db_strv_take(struct db_strv *sv, char ***v, uint32_t *n);
bool db_strv_remove(struct db_strv *sv, const char *s);

/* "pid N on HOST as USER since YYYY-MM-DD HH:MM:SS" (UTC) for this
 * process. Caller frees. */
char *db_holder_line(void);
/* This machine's name, never empty. */
void db_host_name(char *buf, size_t size);
/* The error of a lock wait that ran out of time; holder may be NULL. */
int db_lock_timeout_err(char **err, const char *holder, double timeout);
/* The error of a lock wait the face cancelled (RT_EINTR). */
int db_lock_cancelled_err(char **err, const char *holder, double waited);

/* One wait for another process, paced for its struct db_wait: the face is
 * told about every DB_WAIT_TELL seconds, and the holder, which may cost a
 * query, is asked again at most every DB_WAIT_HOLDER seconds. */
#define DB_WAIT_TELL 0.1
#define DB_WAIT_HOLDER 1.0
/* Who holds the migration lock now: a malloc'd line, or NULL. */
typedef char *db_holder_fn(void *ctx);
struct db_waiting {
	const struct db_wait *w;
	db_holder_fn *holder_fn;
	void *holder_ctx;
	double start, told, asked;
	char *holder;              /* the last answer of holder_fn (owned) */
	bool shown;                /* on_wait was called */
};
void db_waiting_start(struct db_waiting *wt, const struct db_wait *w,
                      db_holder_fn *holder_fn, void *holder_ctx);
/* After a failed attempt: RT_OK to try again (after a pause), RT_ELOCK
 * when the time is up, RT_EINTR when the face cancelled. */
int db_waiting_tick(struct db_waiting *wt);
/* The holder as last asked (asking now when it never was); borrowed
 * until db_waiting_end. */
const char *db_waiting_holder(struct db_waiting *wt);
double db_waiting_elapsed(const struct db_waiting *wt);
/* Tells the face the wait is over (on_done) and frees the holder. */
void db_waiting_end(struct db_waiting *wt);
void db_sleep(double seconds);

/* Creates dest for a backup, failing (RT_EINPUT) when it exists, so that a
 * backup never overwrites anything. Returns the open descriptor in *fd. */
int db_backup_create(const char *dest, int *fd, char **err);

#endif
