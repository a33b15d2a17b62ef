/* Unit tests for lite.c: libsqlite3 opened at run time, and the refusals
 * when the file named is missing, is no library, is a library but not
 * libsqlite3, or is an SQLite older than retort needs. This program is not
 * linked against libsqlite3. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lite.h"
#include "tap.h"
#include "util.h"

/* lite_load with RETORT_LIBSQLITE3=file: must fail, leave the table empty,
 * and say why with every piece of want. */
static void refused(const char *file, const char *const *want, const char *name)
{
	char *err = NULL;
	setenv("RETORT_LIBSQLITE3", file, 1);
	is_int(lite_load(&err), RT_EDB, "%s: a database error", name);
	ok(lite.sqlite3_open_v2 == NULL && lite.sqlite3_interrupt == NULL,
	   "%s: the table stays empty", name);
	for (; *want; want++)
		ok(err && strstr(err, *want), "%s: the message has '%s': %s", name,
		   *want, err ? err : "(none)");
	free(err);
}

/* lite_check_version for one version number. */
static void version(int number, int want, const char *text)
{
	char *err = NULL;
	is_int(lite_check_version("libsqlite3.so.0", number, &err), want,
	       "version %d: %s", number, want == RT_OK ? "accepted" : "refused");
	if (want == RT_OK)
		ok(!err, "... no message");
	else
		ok(err && strstr(err, text) && strstr(err, "3.35.0 or later") &&
		   strstr(err, LITE_PACKAGE),
		   "... the message names both versions and the package: %s",
		   err ? err : "(none)");
	free(err);
}

/* sqlite3_exec's callback: keeps the first column of the last row. */
static int row_cb(void *ctx, int ncols, char **vals, char **names)
{
	free(*(char **)ctx);
	*(char **)ctx = xstrdup(ncols > 0 && vals[0] ? vals[0] : "(null)");
	return 0;
}

int main(void)
{
	char dir[PATH_MAX];
	if (!tap_mkdtemp(dir, sizeof dir, "rt-lite"))
		return 1;
	char *text = xasprintf("%s/libsqlite3.so.0", dir);
	FILE *fp = fopen(text, "w");
	fputs("not a library\n", fp);
	fclose(fp);

	refused("/nonexistent/libsqlite3.so.0",
	        (const char *const[]){"RETORT_LIBSQLITE3=/nonexistent/libsqlite3.so.0",
	                              "No such file", "libsqlite3-0", NULL},
	        "a missing file");
	refused(text, (const char *const[]){text, "libsqlite3-0", NULL}, "a text file");
	refused("libm.so.6",
	        (const char *const[]){"libm.so.6 is not a usable libsqlite3",
	                              "no sqlite3_", "libsqlite3-0", NULL},
	        "a library that is not libsqlite3");

	version(3031001, RT_EDB, "is SQLite 3.31.1");
	version(3034001, RT_EDB, "is SQLite 3.34.1");
	version(3035000, RT_OK, NULL);
	version(3046001, RT_OK, NULL);

	char *err = NULL;
	setenv("RETORT_LIBSQLITE3", "", 1);
	is_int(lite_load(&err), RT_OK, "an empty RETORT_LIBSQLITE3: the system's %s",
	       LITE_LIBRARY);
	ok(!err, "no message");
	free(err);
	err = NULL;
	unsetenv("RETORT_LIBSQLITE3");
	is_int(lite_load(&err), RT_OK, "loaded once, a second call succeeds at once");
	ok(lite.sqlite3_libversion_number() >= LITE_MIN_VERSION,
	   "the library loaded is SQLite 3.35.0 or later (%d)",
	   lite.sqlite3_libversion_number());

	sqlite3 *h = NULL;
	char *got = NULL, *msg = NULL;
	ok(lite.sqlite3_open_v2(":memory:", &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	                        NULL) == SQLITE_OK,
	   "the loaded functions work: an in-memory database opens");
	int rc = lite.sqlite3_exec(h, "CREATE TABLE t (a TEXT); INSERT INTO t VALUES ('x') "
	                              "RETURNING a || 'y'",
	                           row_cb, &got, &msg);
	ok(rc == SQLITE_OK && got && strcmp(got, "xy") == 0,
	   "... and runs SQL that needs 3.35 (RETURNING): %s", got ? got : msg ? msg : "");
	lite.sqlite3_free(msg);
	free(got);
	rc = lite.sqlite3_exec(h, "nonsense", NULL, NULL, NULL);
	const char *why = lite.sqlite3_errmsg(h);
	ok(rc == SQLITE_ERROR && strstr(why, "syntax error"), "... and reports an error: %s", why);
	lite.sqlite3_close(h);

	unlink(text);
	rmdir(dir);
	free(text);
	return done_testing();
}
