/* db.h: the database backends behind one table of operations.
 *
 * A backend is a `const struct db_ops` in its own file: db_sqlite.c,
 * db_pg.c, and db_sqlwriter.c, which renders SQL to a stream instead of
 * executing it (--sql). Every backend's handle starts with `struct db`.
 *
 * Errors: each call returns an rt_status; on failure *err receives the
 * database's own message (caller frees). Values always travel as bound
 * parameters; table names are validated with ident_valid() by the caller
 * and quoted by the backend. */
#ifndef RT_DB_H
#define RT_DB_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sqllex.h"
#include "url.h"

/* The ledger: retort's table beside the version table, in every database
 * it migrates (retort(1), history --applied). */
#define DB_HISTORY_TABLE "retort_history"

struct db_ops;

/* How a caller waits for another process: for the migration lock (lock)
 * and, on SQLite, for the database another connection is writing
 * (set_busy_wait). */
struct db_wait {
	double timeout;            /* seconds */
	/* Optional. Called about every 100 ms while the wait goes on, with
	 * the seconds waited so far and who holds the migration lock ("pid
	 * 1234 on host as user since …"; NULL when unknown or nobody; borrowed
	 * for the call). Returning false ends the wait: RT_EINTR, "cancelled
	 * while waiting …", nothing done. */
	bool (*on_wait)(void *ctx, double elapsed, const char *holder);
	/* Optional. Called once after a wait in which on_wait was called,
	 * however it ended (a face clears what on_wait showed). */
	void (*on_done)(void *ctx);
	void *ctx;
};

struct db {
	const struct db_ops *ops;
	enum sql_dialect dialect;
	const char *version_table; /* borrowed from the caller of open */
	/* Set (from a signal handler) to end a wait for the migration lock:
	 * lock then fails with RT_EINTR. Cleared by whoever sets it up. */
	volatile sig_atomic_t stop;
};

/* One row of the ledger, retort_history. Strings borrowed when writing;
 * owned by the array when read (db_history_free).
 *
 * A `Transaction: none` step writes its row before its first statement,
 * with outcome "started" (its intent record), keeps last_ok_line up to
 * date after each statement, and overwrites the row with its outcome at
 * the end. A started row that no process is working on any more means the
 * step was interrupted; `resolve` then marks it "interrupted" and appends
 * a row of direction "resolve" whose outcome is the operator's decision,
 * "applied" or "reverted". */
/* The words a ledger row's direction and outcome hold: X(name, word). */
#define HISTORY_DIR_LIST(X)                 \
	X(HISTORY_UPGRADE, "upgrade")           \
	X(HISTORY_DOWNGRADE, "downgrade")       \
	X(HISTORY_STAMP, "stamp")               \
	X(HISTORY_REPAIR, "repair")             \
	X(HISTORY_RESOLVE, "resolve")
#define HISTORY_OUTCOME_LIST(X)             \
	X(HISTORY_OK, "ok")                     \
	X(HISTORY_FAILED, "failed")             \
	X(HISTORY_STARTED, "started")           \
	X(HISTORY_INTERRUPTED, "interrupted")   \
	X(HISTORY_APPLIED, "applied")           \
	X(HISTORY_REVERTED, "reverted")

#define HISTORY_X(name, word) name,
/* HISTORY_DIR_OTHER, HISTORY_OUTCOME_OTHER: a word this version does not
 * know (a ledger written by a later one). */
enum history_dir { HISTORY_DIR_LIST(HISTORY_X) HISTORY_DIR_OTHER };
enum history_outcome { HISTORY_OUTCOME_LIST(HISTORY_X) HISTORY_OUTCOME_OTHER };
#undef HISTORY_X

struct history_row {
	int64_t id;                /* assigned by the database; on writing, 0
	                              for a new row, else the row to overwrite */
	char *revision;
	char *direction;           /* upgrade, downgrade, stamp, repair, resolve */
	char *outcome;             /* ok, failed, started, interrupted; for
	                              resolve: applied, reverted */
	char *heads_before;        /* space-separated revision ids, "" for none */
	char *heads_after;
	char *checksum;            /* SHA-256 hex of the script file, or NULL */
	char *started_at;          /* UTC, "YYYY-MM-DD HH:MM:SS.mmm" */
	char *finished_at;
	double duration_ms;
	char *db_user;             /* filled by the backend on insert */
	char *os_user;
	char *host;
	char *retort_version;
	int64_t error_line;        /* failing statement's line, 0 = none */
	int64_t last_ok_line;      /* Transaction: none — last statement that
	                              succeeded, 0 = none */
	char *error;               /* the database's message, or NULL */
	int64_t pid;               /* the retort process that wrote it, 0 =
	                              unknown (ledgers of older versions) */
};

struct db_ops {
	const char *name;          /* "sqlite", "postgresql", "sql" */
	/* Connects. version_table is borrowed for the handle's life. */
	int (*open)(const struct db_url *url, const char *version_table,
	            struct db **out, char **err);
	void (*close)(struct db *db);

	/* The migration lock (retort(1), DATABASES): SQLite a flock on the database file
	 * itself (the same through every name of the file) and on
	 * "<real path>.lock", into which the holder's details are written;
	 * PostgreSQL a session-level advisory lock taken outside any
	 * transaction. Waits up to w->timeout seconds, telling w->on_wait;
	 * RT_ELOCK with the holder in *err on timeout, or with the reason
	 * when the lock file is not a regular file of one name (a symlink is
	 * never followed); RT_EINTR when on_wait cancelled the wait, or as
	 * soon as db->stop is set. */
	int (*lock)(struct db *db, const struct db_wait *w, char **err);
	void (*unlock)(struct db *db);
	/* *holder: NULL when nobody holds the lock, else a malloc'd line
	 * "pid 1234 on host as user since 2026-11-22 10:00:00". */
	int (*lock_holder)(struct db *db, char **holder, char **err);

	/* Optional (NULL: the database never makes a reader wait, as
	 * PostgreSQL's readers never wait for a migration). How a statement
	 * waits when another connection holds the database's write lock
	 * (SQLite: a migration in progress, whose pages are being written):
	 * up to w->timeout seconds, telling w->on_wait, then it fails with a
	 * message that names the holder of the migration lock when there is
	 * one. w is copied; NULL goes back to the default, 5 s, silent. */
	void (*set_busy_wait)(struct db *db, const struct db_wait *w);

	/* Transactions. SQLite: BEGIN IMMEDIATE. */
	int (*begin)(struct db *db, char **err);
	int (*commit)(struct db *db, char **err);
	int (*rollback)(struct db *db, char **err);
	/* Runs one statement (no trailing ';' needed). */
	int (*exec)(struct db *db, const char *sql, char **err);
	/* A comment for the reader of rendered SQL; no-op when executing. */
	void (*note)(struct db *db, const char *text);

	/* Creates retort's version table and retort_history if missing. */
	int (*ensure_tables)(struct db *db, char **err);
	/* Current heads from the version table (empty when it does not exist).
	 * *revs: malloc'd array of malloc'd strings (db_strv_free). */
	int (*read_heads)(struct db *db, char ***revs, uint32_t *n, char **err);
	int (*version_insert)(struct db *db, const char *rev, char **err);
	int (*version_delete)(struct db *db, const char *rev, char **err);
	int (*version_purge)(struct db *db, char **err);

	/* Writes row: a new one, or when row->id is set, over that row. */
	int (*history_insert)(struct db *db, const struct history_row *row,
	                      char **err);
	/* Optional (NULL: version_delete, version_insert and history_insert
	 * one by one). A step's version rows and its ledger row (new, or over
	 * row->id) in one statement, so one round trip instead of 1 + ndel +
	 * nins; fails as version_delete does when a row to delete is not
	 * there. */
	int (*step_record)(struct db *db, const char *const *del, uint32_t ndel,
	                   const char *const *ins, uint32_t nins,
	                   const struct history_row *row, char **err);
	/* Oldest first; revision NULL for all. Empty when the table is
	 * missing. *rows: free with db_history_free. */
	int (*history_read)(struct db *db, const char *revision,
	                    struct history_row **rows, uint32_t *n, char **err);

	/* The intent record of a `Transaction: none` step. Optional (NULL:
	 * none is kept, as in the SQL writer, which keeps no ledger).
	 * history_start writes row (outcome "started") outside any
	 * transaction, so that it is committed before the step's first
	 * statement runs; *id: the new row's id. */
	int (*history_start)(struct db *db, const struct history_row *row,
	                     int64_t *id, char **err);
	/* Runs one statement of that step (outside any transaction of
	 * retort's), then records in row id that line is the last statement
	 * known to have run, ms after the step started. PostgreSQL sends both
	 * in one round trip, one implicit transaction, where the statement
	 * allows it (not a statement that refuses to run in a transaction
	 * block, nor one that ends or starts one): the line is then recorded
	 * exactly when the statement took effect. Otherwise, and on SQLite,
	 * the record follows the statement, and a process killed between the
	 * two leaves the line before. *ran: whether the statement took effect
	 * (false when it failed; true with an error when only the record
	 * failed). */
	int (*exec_noted)(struct db *db, const char *sql, int64_t id,
	                  int64_t line, double ms, bool *ran, char **err);
	/* The rows that may leave a `Transaction: none` step half done: a
	 * started row, or a failed one after some of its statements ran
	 * (last_ok_line set), that no later row about the same revision
	 * settles (an ok upgrade, downgrade or stamp, a resolve, or another
	 * such row). Oldest first; free with db_history_free. */
	int (*history_open)(struct db *db, struct history_row **rows, uint32_t *n,
	                    char **err);

	/* A consistent copy into dest (SQLite online backup API; pg_dump by
	 * fork/exec for PostgreSQL). progress may be NULL. */
	int (*backup)(struct db *db, const char *dest,
	              void (*progress)(void *ctx, double fraction), void *ctx,
	              char **err);

	/* Optional (NULL: nothing to stop, as in the SQL writer). Asks the
	 * statement running now to stop, so that it fails and its transaction
	 * can be rolled back. Async-signal-safe: the runner calls it from its
	 * SIGINT/SIGTERM handler. PostgreSQL: PQcancel on a PGcancel made at
	 * connection time (libpq documents PQcancel as safe in a handler; it
	 * opens a connection of its own, so it may wait on an unreachable
	 * server). SQLite: sqlite3_interrupt, documented for use from another
	 * thread; all it does is set a flag that the running statement polls.
	 * Between statements it has no effect: the runner checks its own flag
	 * before each statement. */
	void (*interrupt)(struct db *db);
	/* Optional (NULL: no limit can be set). From now on a statement that
	 * runs longer than seconds fails with a message that says so; 0 lifts
	 * the limit. PostgreSQL: SET statement_timeout, and the client stops
	 * waiting a few seconds after it (no answer by then means the server
	 * or the network is gone; the handle is then closed and every later
	 * call fails at once). SQLite: a progress handler that checks a
	 * deadline set when each statement starts. */
	int (*set_statement_timeout)(struct db *db, double seconds, char **err);

	/* Optional (NULL: the database has no such setting, as in PostgreSQL
	 * and the SQL writer). SQLite's PRAGMA foreign_keys, a setting of the
	 * connection that SQLite ignores inside a transaction: the runner runs
	 * a section's leading PRAGMA foreign_keys before BEGIN, checks the
	 * data before COMMIT when it left them off, and puts the setting back
	 * after the step. foreign_keys reads the setting; set_foreign_keys
	 * sets it, outside a transaction (RT_EDB inside one, which SQLite
	 * would ignore); foreign_key_check fails (RT_EDB) when a row
	 * references a row that does not exist, naming the tables. */
	int (*foreign_keys)(struct db *db, bool *on, char **err);
	int (*set_foreign_keys)(struct db *db, bool on, char **err);
	int (*foreign_key_check)(struct db *db, char **err);
};

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pg_ops;
extern const struct db_ops db_sqlwriter_ops;

/* Opens the backend the URL names. */
/* A row's direction and outcome as read, and the words written for them
 * (static strings; "" for the _OTHER values). */
struct history_row;
enum history_dir history_dir(const struct history_row *r);
enum history_outcome history_outcome(const struct history_row *r);
const char *history_dir_word(enum history_dir d);
const char *history_outcome_word(enum history_outcome o);

int db_open(const struct db_url *url, const char *version_table,
            struct db **out, char **err);
/* The offline writer: renders to `out` (borrowed) in `dialect`.
 * start_heads: what read_heads reports (the start of an A:B range). */
int db_sqlwriter_open(FILE *out, enum sql_dialect dialect,
                      const char *version_table,
                      const char *const *start_heads, uint32_t nstart,
                      struct db **db);
void db_close(struct db *db);
/* A PostgreSQL conninfo (URI or key=value) as key=value with its database
 * replaced by dbname, everything else kept. Caller frees *out. */
int db_pg_conninfo_with_dbname(const char *conninfo, const char *dbname,
                               char **out, char **err);

void db_strv_free(char **v, uint32_t n);
void db_history_free(struct history_row *rows, uint32_t n);

/* The rows of a query, as text: cell (r, c) is cells[r * ncols + c], NULL
 * for SQL NULL. Owned: free with db_rows_free. */
struct db_rows {
	char **cells;
	uint32_t nrows;
	int ncols;                 /* 0 when there is no row */
};
/* Runs one statement with text parameters (placeholders ?N for SQLite, $N
 * for PostgreSQL; NULL binds SQL NULL) on a connected backend and returns
 * every row (for reading a catalog: schema.c). RT_EUSAGE on the offline
 * writer, which has nothing to read. */
int db_select(struct db *db, const char *sql, const char *const *args,
              int nargs, struct db_rows *out, char **err);
void db_rows_free(struct db_rows *r);
static inline const char *db_cell(const struct db_rows *r, uint32_t row,
                                  int col)
{
	return r->cells[(size_t)row * (size_t)r->ncols + (size_t)col];
}

#endif
