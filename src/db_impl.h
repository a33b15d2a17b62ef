/* db_impl.h: what the backends share: the tables' DDL, the ledger's
 * column list and its text encoding, the lock holder line and small
 * helpers. For db_*.c only; callers use db.h. */
#ifndef RT_DB_IMPL_H
#define RT_DB_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"

#define DB_HISTORY_TABLE "retort_history"

/* Fills the common part of a handle; RT_EINPUT when the version table is
 * not a valid identifier (it is spliced into SQL, double-quoted). */
int db_base_init(struct db *db, const struct db_ops *ops,
                 enum sql_dialect dialect, const char *version_table,
                 char **err);

/* CREATE TABLE IF NOT EXISTS statements without a trailing ';'.
 * Caller frees. */
char *db_ddl_version_table(enum sql_dialect dialect, const char *table);
char *db_ddl_history_table(enum sql_dialect dialect);

/* The ledger travels as text in both directions, so that SQLite and libpq
 * share one encoding. The INSERT takes DB_HISTORY_NPARAMS parameters
 * (placeholders ?N for SQLite, $N for PostgreSQL); the SELECT returns
 * DB_HISTORY_NCOLS columns and, when by_revision, takes the revision as
 * its only parameter. Both caller-freed. */
enum { DB_HISTORY_NPARAMS = 15, DB_HISTORY_NCOLS = 17 };
char *db_history_insert_sql(enum sql_dialect dialect);
char *db_history_select_sql(enum sql_dialect dialect, bool by_revision);

/* Parameter values for the INSERT; v[i] NULL means SQL NULL. The strings
 * are borrowed from row or point into the struct's own buffers. */
struct db_history_params {
	const char *v[DB_HISTORY_NPARAMS];
	char num[3][32];
};
void db_history_params(const struct history_row *row,
                       struct db_history_params *p);
/* Fills *row from one SELECT row (v[i] NULL for SQL NULL); the strings
 * are copied. */
void db_history_row_from_text(struct history_row *row,
                              const char *const v[DB_HISTORY_NCOLS]);

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

/* A growable array of history rows, handed out as history_read's result. */
struct db_rowv {
	struct history_row *v;
	uint32_t n;
	uint32_t cap;
};
struct history_row *db_rowv_add(struct db_rowv *rv);  /* zeroed */
void db_rowv_take(struct db_rowv *rv, struct history_row **v, uint32_t *n);

/* "pid N on HOST as USER since YYYY-MM-DD HH:MM:SS" (UTC) for this
 * process. Caller frees. */
char *db_holder_line(void);
/* This machine's name, never empty. */
void db_host_name(char *buf, size_t size);
/* The error of a lock wait that ran out of time. */
int db_lock_timeout_err(char **err, const char *holder, double timeout);
void db_sleep(double seconds);

/* Creates dest for a backup, failing (RT_EINPUT) when it exists, so that a
 * backup never overwrites anything. Returns the open descriptor in *fd. */
int db_backup_create(const char *dest, int *fd, char **err);

#endif
