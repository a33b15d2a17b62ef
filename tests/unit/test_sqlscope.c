/* Unit tests for sqlscope.c: which statements act beyond their database,
 * what they are called, and what is left alone. */

#include <stdlib.h>
#include <string.h>

#include "sqlscope.h"
#include "tap.h"
#include "util.h"

/* "scope|what", or "-" when the statement stays in its database. */
static char *scope_str(const char *sql, enum sql_dialect d)
{
	char what[96] = "";
	const char *scope = sqlscope_beyond(sql, strlen(sql), d, what, sizeof what);
	return scope ? xasprintf("%s|%s", scope, what) : xstrdup("-");
}

#define SCOPE(sql, d, want) do { \
	char *got_ = scope_str(sql, d); \
	is_str(got_, want, "%s", sql); \
	free(got_); \
} while (0)
#define PG(sql, want) SCOPE(sql, SQL_POSTGRES, want)
#define LITE(sql, want) SCOPE(sql, SQL_SQLITE, want)

#define ROLES "the cluster's roles|"
#define SPACES "the cluster's tablespaces|"
#define DBS "the cluster's databases|"
#define CONFIG "the server's configuration|"

int main(void)
{
	/* roles */
	PG("ALTER ROLE app PASSWORD 'x'", ROLES "ALTER ROLE");
	PG("alter user app with password 'x' valid until 'infinity'", ROLES "ALTER USER");
	PG("CREATE ROLE reader NOLOGIN", ROLES "CREATE ROLE");
	PG("create user u", ROLES "CREATE USER");
	PG("CREATE GROUP g", ROLES "CREATE GROUP");
	PG("DROP ROLE IF EXISTS reader", ROLES "DROP ROLE");
	PG("ALTER GROUP g ADD USER u", ROLES "ALTER GROUP");
	PG("DROP OWNED BY u", ROLES "DROP OWNED");
	PG("REASSIGN OWNED BY a TO b", ROLES "REASSIGN OWNED");
	PG("GRANT reader TO app", ROLES "GRANT of a role");
	PG("GRANT reader, writer TO app WITH ADMIN OPTION", ROLES "GRANT of a role");
	PG("REVOKE ADMIN OPTION FOR reader FROM app", ROLES "REVOKE of a role");
	PG("COMMENT ON ROLE app IS 'the application'", ROLES "COMMENT ON ROLE");
	PG("SECURITY LABEL FOR selinux ON ROLE app IS 'x'", ROLES "SECURITY LABEL ON ROLE");
	PG("/* first */ -- a comment\n  ALTER ROLE app SET search_path = s", ROLES "ALTER ROLE");
	/* tablespaces, databases, the configuration, other servers, files */
	PG("CREATE TABLESPACE fast LOCATION '/ssd'", SPACES "CREATE TABLESPACE");
	PG("ALTER TABLESPACE fast OWNER TO app", SPACES "ALTER TABLESPACE");
	PG("DROP TABLESPACE fast", SPACES "DROP TABLESPACE");
	PG("GRANT CREATE ON TABLESPACE fast TO app", SPACES "GRANT ON TABLESPACE");
	PG("CREATE DATABASE other", DBS "CREATE DATABASE");
	PG("ALTER DATABASE app SET timezone = 'UTC'", DBS "ALTER DATABASE");
	PG("DROP DATABASE other", DBS "DROP DATABASE");
	PG("GRANT CONNECT ON DATABASE app TO reader", DBS "GRANT ON DATABASE");
	PG("revoke all on database app from public", DBS "REVOKE ON DATABASE");
	PG("COMMENT ON DATABASE app IS 'x'", DBS "COMMENT ON DATABASE");
	PG("ALTER SYSTEM SET work_mem = '64MB'", CONFIG "ALTER SYSTEM");
	PG("GRANT SET ON PARAMETER work_mem TO app", CONFIG "GRANT ON PARAMETER");
	PG("CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p",
	   "another server|CREATE SUBSCRIPTION");
	PG("COPY t TO '/tmp/t.csv'", "the server's files and programs|COPY");
	PG("COPY t FROM PROGRAM 'curl http://x'", "the server's files and programs|COPY");
	PG("COPY (SELECT 1) TO PROGRAM 'cat'", "the server's files and programs|COPY");
	/* DO blocks: their code, and the strings they execute */
	PG("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'r') THEN "
	   "CREATE ROLE r; END IF; END $$", ROLES "DO block (CREATE ROLE inside)");
	PG("DO $body$ BEGIN EXECUTE format('ALTER ROLE %I PASSWORD %L', 'a', 'b'); END $body$",
	   ROLES "DO block (ALTER ROLE inside)");
	PG("DO 'BEGIN EXECUTE ''DROP DATABASE x''; END'", DBS "DO block (DROP DATABASE inside)");
	PG("DO LANGUAGE plpgsql $$ BEGIN GRANT r TO u; END $$", ROLES "DO block (GRANT of a role inside)");
	PG("DO $$ BEGIN CREATE TABLE t (x int); GRANT SELECT ON t TO r; END $$", "-");

	/* what stays in its database */
	PG("CREATE TABLE roles (role text, database text)", "-");
	PG("ALTER TABLE t OWNER TO app", "-");
	PG("CREATE USER MAPPING FOR app SERVER s", "-");
	PG("DROP USER MAPPING FOR app SERVER s", "-");
	PG("ALTER DEFAULT PRIVILEGES FOR ROLE app GRANT SELECT ON TABLES TO reader", "-");
	PG("GRANT SELECT ON t TO reader", "-");
	PG("GRANT SELECT (a, b) ON TABLE t TO reader", "-");
	PG("GRANT USAGE ON SCHEMA s TO reader", "-");
	PG("REVOKE ALL ON ALL TABLES IN SCHEMA s FROM public", "-");
	PG("COMMENT ON TABLE t IS 'ALTER ROLE x'", "-");
	PG("INSERT INTO t VALUES ('CREATE ROLE r') ON CONFLICT DO NOTHING", "-");
	PG("COPY t FROM '/data/seed.csv'", "-");
	PG("COPY t TO STDOUT", "-");
	PG("SET ROLE app", "-");
	PG("CREATE FUNCTION f() RETURNS void AS $$ CREATE ROLE r $$ LANGUAGE sql", "-");
	PG("", "-");

	/* SQLite: other database files */
	LITE("ATTACH DATABASE 'other.db' AS other", "another database file|ATTACH");
	LITE("attach 'other.db' as o", "another database file|ATTACH");
	LITE("DETACH other", "another database file|DETACH");
	LITE("VACUUM INTO 'copy.db'", "another database file|VACUUM");
	LITE("VACUUM", "-");
	LITE("CREATE TABLE attach (x)", "-");
	LITE("ALTER ROLE x", "-");

	/* a long kind name is cut, never overrun */
	char small[8];
	const char *s = sqlscope_beyond("CREATE TABLESPACE x", 19, SQL_POSTGRES, small, sizeof small);
	ok(s && strcmp(small, "CREATE ") == 0, "what is cut to its buffer: '%s'", small);
	return done_testing();
}
