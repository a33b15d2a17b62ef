/* Unit tests for url.c: every URL form of retort(1), DATABASES and password masking. */
#include "url.h"

#include <pwd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "tap.h"
#include "util.h"

#define UNSUPPORTED_TAIL "': expected sqlite:///FILE, postgresql://\u2026 or a .db file"

/* Parses a URL that must parse (one test); false, with the error shown,
 * when it does not. */
static bool parses(const char *url, struct db_url *u)
{
	char *err = NULL;
	int rc = url_parse(url, u, &err);
	is_int(rc, RT_OK, "'%s' parses", url);
	if (rc != RT_OK) {
		printf("#   %s\n", err);
		free(err);
	}
	return rc == RT_OK;
}

/* Parses a URL that must be SQLite and checks the file and the name. */
static void sqlite_ok(const char *url, const char *path, const char *dbname)
{
	struct db_url u;
	if (!parses(url, &u))
		return;
	ok(u.backend == DB_SQLITE && u.conninfo == NULL, "'%s' is SQLite", url);
	is_str(u.path, path, "'%s' path", url);
	is_str(u.dbname, dbname, "'%s' dbname", url);
	url_free(&u);
}

/* Parses a URL that must be PostgreSQL and checks what libpq gets and the
 * database name shown. */
static void pg_ok(const char *url, const char *conninfo, const char *dbname)
{
	struct db_url u;
	if (!parses(url, &u))
		return;
	ok(u.backend == DB_POSTGRES && u.path == NULL, "'%s' is PostgreSQL", url);
	is_str(u.conninfo, conninfo, "'%s' conninfo", url);
	is_str(u.dbname, dbname, "'%s' dbname", url);
	url_free(&u);
}

/* A URL that must be refused, with its masked form in the message. */
static void url_bad(const char *url, const char *shown)
{
	struct db_url u = {.dbname = (char *)"untouched"};
	char *err = NULL;
	is_int(url_parse(url, &u, &err), RT_EINPUT, "'%s' is refused", url);
	char *want = xasprintf("unsupported database URL '%s" UNSUPPORTED_TAIL, shown);
	is_str(err, want, "'%s' error names the accepted forms", url);
	is_str(u.dbname, "untouched", "'%s' leaves the output alone", url);
	free(want);
	free(err);
}

static void mask_is(const char *url, const char *want)
{
	char *got = url_mask(url);
	is_str(got, want, "mask '%s'", url);
	free(got);
}

static void test_sqlite(void)
{
	sqlite_ok("sqlite:///relative/path.db", "relative/path.db", "path");
	sqlite_ok("sqlite:////absolute/path.db", "/absolute/path.db", "path");
	sqlite_ok("sqlite::memory:", ":memory:", "memory");
	sqlite_ok("sqlite://", ":memory:", "memory");
	sqlite_ok("sqlite:///:memory:", ":memory:", "memory");
	sqlite_ok("sqlite:///app", "app", "app");
	sqlite_ok("SQLite:///app.db", "app.db", "app");
	sqlite_ok("sqlite+pysqlite:///var/app.sqlite", "var/app.sqlite", "app");
	sqlite_ok("app.db", "app.db", "app");
	sqlite_ok("data/x.sqlite", "data/x.sqlite", "x");
	sqlite_ok("/var/lib/y.sqlite3", "/var/lib/y.sqlite3", "y");
	sqlite_ok("BACKUP.DB", "BACKUP.DB", "BACKUP");
	sqlite_ok("archive.2026.db", "archive.2026.db", "archive.2026");
	sqlite_ok("./dir.d/.hidden.db", "./dir.d/.hidden.db", ".hidden");
	sqlite_ok("  sqlite:///spaced.db\t ", "spaced.db", "spaced");
	sqlite_ok("run:2026.db", "run:2026.db", "run:2026");
}

static void test_postgres_uri(void)
{
	unsetenv("PGDATABASE");
	unsetenv("PGUSER");
	pg_ok("postgresql://u:p@h:5432/app", "postgresql://u:p@h:5432/app", "app");
	pg_ok("postgres://h/app", "postgres://h/app", "app");
	pg_ok("postgresql+psycopg2://u:p@h/app", "postgresql://u:p@h/app", "app");
	pg_ok("postgresql+asyncpg://h/db?sslmode=require",
	      "postgresql://h/db?sslmode=require", "db");
	pg_ok("postgres+pg8000://h/db", "postgres://h/db", "db");
	pg_ok("POSTGRESQL://h/App", "postgresql://h/App", "App");
	pg_ok("postgresql://h/my%20db", "postgresql://h/my%20db", "my db");
	pg_ok("postgresql://h/bad%zzname", "postgresql://h/bad%zzname", "bad%zzname");
	pg_ok("postgresql://h?dbname=q%2Fx", "postgresql://h?dbname=q%2Fx", "q/x");
	pg_ok("postgresql://[::1]:5432/v6", "postgresql://[::1]:5432/v6", "v6");
	pg_ok("postgresql://h1:5432,h2:5433/multi?target_session_attrs=read-write",
	      "postgresql://h1:5432,h2:5433/multi?target_session_attrs=read-write", "multi");
	/* libpq ends the user at the first '@': the path is still found */
	pg_ok("postgresql://u:p@ss@h/db", "postgresql://u:p@ss@h/db", "db");
	pg_ok("postgresql:///local?host=/tmp", "postgresql:///local?host=/tmp", "local");
}

static void test_postgres_defaults(void)
{
	unsetenv("PGDATABASE");
	unsetenv("PGUSER");
	pg_ok("postgresql://a%40b:pw@h", "postgresql://a%40b:pw@h", "a@b");
	pg_ok("postgresql://h/?user=quser", "postgresql://h/?user=quser", "quser");
	setenv("PGUSER", "envuser", 1);
	pg_ok("postgresql://h", "postgresql://h", "envuser");
	pg_ok("postgresql://named@h/", "postgresql://named@h/", "named");
	setenv("PGDATABASE", "envdb", 1);
	pg_ok("postgresql://named@h", "postgresql://named@h", "envdb");
	pg_ok("postgresql://named@h/explicit", "postgresql://named@h/explicit", "explicit");
	pg_ok("host=h user=bob", "host=h user=bob", "envdb");
	unsetenv("PGDATABASE");
	pg_ok("host=h user=bob", "host=h user=bob", "bob");
	unsetenv("PGUSER");
	struct passwd *pw = getpwuid(geteuid());
	if (pw)
		pg_ok("postgresql://", "postgresql://", pw->pw_name);
	else
		ok(1, "# SKIP no passwd entry for the current user");
}

static void test_conninfo(void)
{
	unsetenv("PGDATABASE");
	unsetenv("PGUSER");
	const char *ci = "host=127.0.0.1 port=5432 dbname=app user=x password=secret";
	pg_ok(ci, ci, "app");
	pg_ok("dbname='my app' host=h", "dbname='my app' host=h", "my app");
	pg_ok("host = h dbname = d", "host = h dbname = d", "d");
	pg_ok("dbname=it\\'s", "dbname=it\\'s", "it's");
	pg_ok("dbname=first dbname=second", "dbname=first dbname=second", "second");

	struct db_url u;
	char *err = NULL;
	is_int(url_parse(ci, &u, &err), RT_OK, "conninfo with a password parses");
	is_str(u.display, "host=127.0.0.1 port=5432 dbname=app user=x password=****",
	       "conninfo display hides the password");
	url_free(&u);
	is_int(url_parse("postgresql+psycopg2://u:hunter2@h/db", &u, &err), RT_OK,
	       "URI with a password parses");
	is_str(u.display, "postgresql+psycopg2://u:****@h/db",
	       "display is the input as written, masked");
	url_free(&u);
}

static void test_refused(void)
{
	url_bad("", "");
	url_bad("   ", "");
	url_bad("mysql://root:hunter2@h/db", "mysql://root:****@h/db");
	url_bad("sqlite://app.db", "sqlite://app.db");
	url_bad("sqlite:app.db", "sqlite:app.db");
	url_bad("sqlite:/app.db", "sqlite:/app.db");
	url_bad("postgresql:/h/db", "postgresql:/h/db");
	url_bad("postgres:h", "postgres:h");
	url_bad("http://example.com/x.db", "http://example.com/x.db");
	url_bad("app.txt", "app.txt");
	url_bad("app", "app");
	url_bad("dir/", "dir/");
	url_bad("x/.db", "x/.db");
	url_bad("sqlite:////", "sqlite:////");
	url_bad("sqlite:///dir/", "sqlite:///dir/");
	url_bad("host=h databse=x password=pw", "host=h databse=x password=****");
	url_bad("dbname='unterminated", "dbname='unterminated");
	url_bad("host=h garbage", "host=h garbage");
	url_bad("=x", "=x");

	struct db_url u;
	ok(url_parse(NULL, &u, NULL) == RT_EINPUT, "NULL is refused, err may be NULL");
}

/* A password must never show, whatever characters it holds and wherever
 * the URL puts it. */
static void test_mask_never_leaks(void)
{
	static const char *const pw[] = {
		"p@ss", "a/b", "a?b", "a&b", "a:b", "x@y/z?w", "%40%2F", "a#b",
		"@", "::", "a=b&c", "s3cr3t",
	};
	for (size_t i = 0; i < RT_ARRAY_LEN(pw); i++) {
		char *url = xasprintf("postgresql://user:%s@host:5432/db?sslmode=require", pw[i]);
		char *got = url_mask(url);
		is_str(got, "postgresql://user:****@host:5432/db?sslmode=require",
		       "userinfo password '%s' fully masked", pw[i]);
		free(got);
		free(url);

		url = xasprintf("postgresql://host/db?sslmode=require&password=%s", pw[i]);
		got = url_mask(url);
		is_str(got, "postgresql://host/db?sslmode=require&password=****",
		       "query password '%s' fully masked", pw[i]);
		free(got);
		free(url);
	}
}

static void test_mask(void)
{
	mask_is("postgresql://u:secret@h/db", "postgresql://u:****@h/db");
	mask_is("postgresql://u@h/db", "postgresql://u@h/db");
	mask_is("postgresql://h:5432/db", "postgresql://h:5432/db");
	mask_is("postgresql://u:@h/db", "postgresql://u:****@h/db");
	mask_is("postgresql://myadmin@srv:pa:ss@h/db", "postgresql://myadmin@srv:****@h/db");
	mask_is("postgresql://h/db?user=u&password=s3&sslmode=require",
		"postgresql://h/db?user=u&password=****&sslmode=require");
	mask_is("postgresql://h/db?password=a&b&sslmode=x",
		"postgresql://h/db?password=****&sslmode=x");
	mask_is("postgresql://u:pw@h/db?password=other",
		"postgresql://u:****@h/db?password=****");
	mask_is("postgresql://h/db?sslpassword=k", "postgresql://h/db?sslpassword=****");
	mask_is("postgresql://h/db?PassWord=x", "postgresql://h/db?PassWord=****");
	mask_is("host=h PASSWORD=x", "host=h PASSWORD=****");
	mask_is("postgresql://h/db?xpassword=visible", "postgresql://h/db?xpassword=visible");

	char *got = url_mask("postgresql://h:1/db?application_name=a@b&password=secret");
	ok(!strstr(got, "secret"), "a '@' in the query does not expose a later password");
	free(got);
	got = url_mask("postgresql://h/db?application_name=a@b&password=secret");
	ok(!strstr(got, "secret"), "an '@' without a colon does not hide the query password");
	free(got);

	mask_is("host=h password=secret dbname=d", "host=h password=**** dbname=d");
	mask_is("password='a b c' host=h", "password=**** host=h");
	mask_is("password = 'it\\'s x' host=h", "password = **** host=h");
	mask_is("host=h password=a\\ b user=u", "host=h password=**** user=u");
	mask_is("password='unterminated and more", "password=****");
	mask_is("host=h sslpassword=k oauth_client_secret=z",
		"host=h sslpassword=**** oauth_client_secret=****");
	mask_is("host=h junk password=secret", "host=h junk password=****");
	mask_is("dbname='postgresql://u:pw@h/d' host=h",
		"dbname='postgresql://u:****@h/d' host=h");
	mask_is("dbname=postgresql://u:pw@h/d", "dbname=postgresql://u:****@h/d");

	mask_is("sqlite:///a.db", "sqlite:///a.db");
	mask_is("sqlite:////srv/x:y@z.db", "sqlite:////srv/x:y@z.db");
	mask_is("sqlite::memory:", "sqlite::memory:");
	mask_is("app.db", "app.db");
	mask_is("mysql://root:hunter2@localhost/x", "mysql://root:****@localhost/x");
	mask_is("user:pass@host", "user:****@host");
	mask_is("", "");
	got = url_mask(NULL);
	is_str(got, "", "mask of NULL is empty");
	free(got);
}

int main(void)
{
	test_sqlite();
	test_postgres_uri();
	test_postgres_defaults();
	test_conninfo();
	test_refused();
	test_mask_never_leaks();
	test_mask();
	return done_testing();
}
