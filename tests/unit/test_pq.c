/* Unit tests for pq.c: libpq opened at run time, and the refusals when the
 * file named is missing, is no library, or is a library but not libpq.
 * This program is not linked against libpq. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pq.h"
#include "tap.h"
#include "util.h"

/* pq_load with RETORT_LIBPQ=file: must fail, leave the table empty, and
 * say why with every piece of want. */
static void refused(const char *file, const char *const *want, const char *name)
{
	char *err = NULL;
	setenv("RETORT_LIBPQ", file, 1);
	is_int(pq_load(&err), RT_EDB, "%s: a database error", name);
	ok(pq.PQconnectdbParams == NULL && pq.PQcancel == NULL,
	   "%s: the table stays empty", name);
	for (; *want; want++)
		ok(err && strstr(err, *want), "%s: the message has '%s': %s", name,
		   *want, err ? err : "(none)");
	free(err);
}

int main(void)
{
	char dir[PATH_MAX];
	if (!tap_mkdtemp(dir, sizeof dir, "rt-pq"))
		return 1;
	char *text = xasprintf("%s/libpq.so.5", dir);
	FILE *fp = fopen(text, "w");
	fputs("not a library\n", fp);
	fclose(fp);

	refused("/nonexistent/libpq.so.5",
	        (const char *const[]){"RETORT_LIBPQ=/nonexistent/libpq.so.5",
	                              "No such file", "libpq5", NULL},
	        "a missing file");
	refused(text, (const char *const[]){text, "libpq5", NULL}, "a text file");
	refused("libm.so.6",
	        (const char *const[]){"libm.so.6 is not a usable libpq", "no PQcancel",
	                              "libpq5", NULL},
	        "a library that is not libpq");

	char *err = NULL;
	setenv("RETORT_LIBPQ", "", 1);
	is_int(pq_load(&err), RT_OK, "an empty RETORT_LIBPQ: the system's %s", PQ_LIBRARY);
	ok(!err, "no message");
	free(err);
	err = NULL;
	unsetenv("RETORT_LIBPQ");
	is_int(pq_load(&err), RT_OK, "loaded once, a second call succeeds at once");

	char *perr = NULL;
	PQconninfoOption *opts = pq.PQconninfoParse("postgresql://u@h:5433/app", &perr);
	const char *dbname = NULL, *port = NULL;
	for (PQconninfoOption *o = opts; o && o->keyword; o++) {
		if (strcmp(o->keyword, "dbname") == 0)
			dbname = o->val;
		else if (strcmp(o->keyword, "port") == 0)
			port = o->val;
	}
	ok(opts && dbname && strcmp(dbname, "app") == 0 && port && strcmp(port, "5433") == 0,
	   "the loaded functions work: PQconninfoParse reads a URI");
	pq.PQconninfoFree(opts);
	pq.PQfreemem(perr);
	PGconn *conn = pq.PQconnectdbParams((const char *const[]){"host", "port", NULL},
	                                    (const char *const[]){dir, "1", NULL}, 0);
	ok(conn && pq.PQstatus(conn) == CONNECTION_BAD,
	   "a connection to a socket that does not exist fails cleanly");
	pq.PQfinish(conn);

	unlink(text);
	rmdir(dir);
	free(text);
	return done_testing();
}
