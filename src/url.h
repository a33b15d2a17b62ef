/* url.h: database URLs (retort(1), DATABASES) and password masking. */
#ifndef RT_URL_H
#define RT_URL_H

#include <stdbool.h>

enum db_backend { DB_SQLITE, DB_POSTGRES };

struct db_url {
	enum db_backend backend;
	char *path;      /* SQLite: file path or ":memory:"; NULL for PostgreSQL */
	char *conninfo;  /* PostgreSQL: libpq URI or key=value string, any
	                    SQLAlchemy "+driver" stripped; NULL for SQLite */
	char *display;   /* the URL as shown to a user: password as **** */
	char *dbname;    /* short name for prompts and confirmation: SQLite file
	                    name without directory and extension, PostgreSQL
	                    database name (libpq default rules when absent) */
	/* PostgreSQL: seconds to wait for the connection unless the URL or
	 * PGCONNECT_TIMEOUT says; 0: libpq's default (a fleet sets it, so
	 * that one dead host does not hold up the others). */
	int connect_timeout;
};

/* Parses any URL form of retort(1), DATABASES. All fields malloc'd; url_free frees.
 * Errors: RT_EINPUT, "unsupported database URL '<masked>': …". */
int url_parse(const char *s, struct db_url *out, char **err);
void url_free(struct db_url *u);

/* Returns a malloc'd copy of s (URL or key=value conninfo) with any
 * password replaced by ****. Never fails; unknown forms are returned with
 * anything after a "user:" and before "@" masked. */
char *url_mask(const char *s);

/* Whether a libpq connection keyword names a secret (password,
 * sslpassword, …), in any case: what url_mask hides and what never goes
 * on another program's command line. */
bool url_secret_key(const char *key);

#endif
