/* lite.h: libsqlite3, loaded with dlopen the first time SQLite is used.
 *
 * retort is not linked against libsqlite3: loading it costs every command
 * a third of a millisecond of start-up, and most of them (heads, history,
 * show, anything on PostgreSQL or behind --sql) never open a SQLite
 * database. lite_load opens it (RETORT_LIBSQLITE3 names another file),
 * checks its version and fills the table `lite` with the functions below;
 * sqlite3.h is included for its types and constants. Call sites read
 * lite.sqlite3_exec(...) and run only after lite_load succeeded: every
 * SQLite database is opened through it (db_sqlite.c's open), so a handle
 * that a signal handler hands to lite.sqlite3_interrupt implies a filled
 * table. */
#ifndef RT_LITE_H
#define RT_LITE_H

#include <sqlite3.h>

/* The file opened, and the Debian package that provides it. */
#define LITE_LIBRARY "libsqlite3.so.0"
#define LITE_PACKAGE "libsqlite3-0"
/* The oldest SQLite retort runs on (3.35.0: ALTER TABLE … DROP COLUMN,
 * which generated scripts use), as sqlite3_libversion_number gives it. */
#define LITE_MIN_VERSION 3035000

#define LITE_FUNCTIONS(X) \
	X(sqlite3_backup_finish) \
	X(sqlite3_backup_init) \
	X(sqlite3_backup_pagecount) \
	X(sqlite3_backup_remaining) \
	X(sqlite3_backup_step) \
	X(sqlite3_bind_null) \
	X(sqlite3_bind_text) \
	X(sqlite3_busy_handler) \
	X(sqlite3_changes) \
	X(sqlite3_close) \
	X(sqlite3_close_v2) \
	X(sqlite3_column_count) \
	X(sqlite3_column_text) \
	X(sqlite3_errmsg) \
	X(sqlite3_exec) \
	X(sqlite3_extended_errcode) \
	X(sqlite3_extended_result_codes) \
	X(sqlite3_finalize) \
	X(sqlite3_free) \
	X(sqlite3_get_autocommit) \
	X(sqlite3_interrupt) \
	X(sqlite3_libversion_number) \
	X(sqlite3_open_v2) \
	X(sqlite3_prepare_v2) \
	X(sqlite3_progress_handler) \
	X(sqlite3_step) \
	X(sqlite3_system_errno)

struct lite_api {
#define LITE_MEMBER(name) __typeof__(name) *name;
	LITE_FUNCTIONS(LITE_MEMBER)
#undef LITE_MEMBER
};

/* All NULL until lite_load succeeds; never emptied after. */
extern struct lite_api lite;

/* Loads libsqlite3 and fills lite, once (later calls return at once).
 * RT_OK, or RT_EDB with a message that names the library and the package;
 * the table is then left as it was, and a later call tries again. */
int lite_load(char **err);

/* RT_OK when version (sqlite3_libversion_number of the library loaded
 * from file) is LITE_MIN_VERSION or later, else RT_EDB saying so. */
int lite_check_version(const char *file, int version, char **err);

#endif
