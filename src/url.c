/* url.c: database URLs (retort(1), DATABASES) and password masking.
 *
 * A pure parser: libpq is not consulted, so that a URL can be classified,
 * named and shown before (or without) connecting. Parsing follows libpq's
 * own reading of a URI, so the dbname shown is the one libpq will use;
 * masking reads the same text more suspiciously, because a password that
 * was not percent-encoded may contain '@', '/', '?' or '&', and showing
 * too little is harmless where showing any of the password is not. */
#include "url.h"

#include <ctype.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util.h"

#define URL_MASK "****"

/* libpq's connection keywords: a key=value string is taken for PostgreSQL
 * only when every key is one of these, so that a file name that happens to
 * contain '=' is not mistaken for a connection string. */
static const char *const pg_keywords[] = {
	"host", "hostaddr", "port", "dbname", "user", "password", "passfile",
	"require_auth", "channel_binding", "connect_timeout", "client_encoding",
	"options", "application_name", "fallback_application_name",
	"keepalives", "keepalives_idle", "keepalives_interval",
	"keepalives_count", "tcp_user_timeout", "replication", "gssencmode",
	"sslmode", "sslnegotiation", "sslcompression", "sslcert", "sslkey",
	"sslpassword", "sslcertmode", "sslrootcert", "sslcrl", "sslcrldir",
	"sslsni", "sslkeylogfile", "requirepeer", "ssl_min_protocol_version",
	"ssl_max_protocol_version", "min_protocol_version",
	"max_protocol_version", "krbsrvname", "gsslib", "gssdelegation",
	"service", "target_session_attrs", "load_balance_hosts",
	"oauth_issuer", "oauth_client_id", "oauth_client_secret", "oauth_scope",
};

/* Keys whose values are secrets, in a key=value string or a URI query. */
static const char *const secret_keys[] = {
	"password", "sslpassword", "oauth_client_secret",
};

static bool in_list(const char *const *list, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == len && strncmp(list[i], s, len) == 0)
			return true;
	return false;
}

/* Any case: libpq would refuse "PASSWORD=", but it must not be shown. */
static bool is_secret_key(const char *s, size_t len)
{
	for (size_t i = 0; i < RT_ARRAY_LEN(secret_keys); i++)
		if (strlen(secret_keys[i]) == len && strncasecmp(secret_keys[i], s, len) == 0)
			return true;
	return false;
}

bool url_secret_key(const char *key)
{
	return is_secret_key(key, strlen(key));
}

static bool is_key_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Length of a leading "scheme:" (without the colon), 0 if there is none. */
static size_t scheme_len(const char *s)
{
	if (!isalpha((unsigned char)s[0]))
		return 0;
	size_t n = 1;
	while (isalnum((unsigned char)s[n]) || s[n] == '+' || s[n] == '.' || s[n] == '-')
		n++;
	return s[n] == ':' ? n : 0;
}

/* ---- key=value connection strings ---- */

struct kv_tok {
	const char *key;
	size_t key_len;
	const char *val;  /* raw, quotes and backslashes included */
	size_t val_len;
	bool unterminated; /* a quoted value that runs to the end */
};

/* Reads one "key = value" at *p (after any blanks) as libpq does. Returns
 * 1 and advances *p past it, 0 at the end of the string, -1 when the text
 * at *p is not a pair (*p is left at the offending character). */
static int kv_next(const char **p, struct kv_tok *t)
{
	const char *s = *p;
	while (isspace((unsigned char)*s))
		s++;
	*p = s;
	if (!*s)
		return 0;
	t->key = s;
	while (is_key_char(*s))
		s++;
	t->key_len = (size_t)(s - t->key);
	while (isspace((unsigned char)*s))
		s++;
	if (t->key_len == 0 || *s != '=')
		return -1;
	s++;
	while (isspace((unsigned char)*s))
		s++;
	t->val = s;
	t->unterminated = false;
	if (*s == '\'') {
		s++;
		while (*s && *s != '\'')
			s += (s[0] == '\\' && s[1]) ? 2 : 1;
		if (*s)
			s++;
		else
			t->unterminated = true;
	} else {
		while (*s && !isspace((unsigned char)*s))
			s += (s[0] == '\\' && s[1]) ? 2 : 1;
	}
	t->val_len = (size_t)(s - t->val);
	*p = s;
	return 1;
}

/* The value of a token without its quotes and backslash escapes. */
static char *kv_value(const struct kv_tok *t)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s = t->val, *end = t->val + t->val_len;
	if (s < end && *s == '\'') {
		s++;
		if (!t->unterminated && end > s)
			end--;
	}
	for (; s < end; s++) {
		if (*s == '\\' && s + 1 < end)
			s++;
		sb_addc(&sb, *s);
	}
	return sb_detach(&sb);
}

/* True when the whole of s is libpq key=value pairs with known keys. */
static bool kv_is_conninfo(const char *s)
{
	struct kv_tok t;
	int n = 0, r;
	while ((r = kv_next(&s, &t)) == 1) {
		if (t.unterminated ||
		    !in_list(pg_keywords, RT_ARRAY_LEN(pg_keywords), t.key, t.key_len))
			return false;
		n++;
	}
	return r == 0 && n > 0;
}

/* What masking hides in a text, by byte offset. Each reading of the text
 * (connection string, URI credentials, URI query) marks what it takes for
 * a secret in the original text, and the union is hidden: one reading
 * running on the output of another would miss a secret whose '@' or '='
 * the other had already hidden. */
struct hidden {
	const char *text;
	bool *byte;   /* [strlen(text)]: hidden */
	bool *empty;  /* [strlen(text) + 1]: an empty secret starts here */
};

static void hide(struct hidden *h, const char *from, const char *to)
{
	if (from == to)
		h->empty[from - h->text] = true;
	for (const char *p = from; p < to; p++)
		h->byte[p - h->text] = true;
}

static void hide_text(struct hidden *h, const char *s);

/* Secret values of a key=value string. Lenient: text that is not a pair
 * is skipped one character at a time until pairs resume, so a stray word
 * never hides a password that follows it; with words_only, up to the next
 * blank, so that only whole words are read as pairs (a URI's
 * "user:password=x@host" holds no pair). */
static void hide_conninfo(struct hidden *h, const char *s, bool words_only)
{
	struct kv_tok t, u;
	int r;
	while ((r = kv_next(&s, &t)) != 0) {
		if (r < 0) {
			s += words_only ? strcspn(s, " \t\n\v\f\r") : 1;
			continue;
		}
		/* "host= password=x": libpq reads "password=x" as the host, but
		 * it was written as an empty value and a pair of its own */
		const char *inner = t.val;
		if (isspace((unsigned char)t.val[-1]) && *t.val != '\'' &&
		    kv_next(&inner, &u) == 1) {
			s = t.val;
			continue;
		}
		if (is_secret_key(t.key, t.key_len)) {
			hide(h, t.val, t.val + t.val_len);
		} else if (t.key_len == 6 && strncmp(t.key, "dbname", 6) == 0) {
			/* libpq expands a dbname that is itself a URI or a
			 * connection string, password included */
			bool quoted = t.val_len > 0 && t.val[0] == '\'';
			const char *v = t.val + quoted;
			size_t n = t.val_len - quoted;
			char *raw = xstrndup(v, n);
			struct hidden in = {raw, xcalloc(n + 1, sizeof(bool)),
			                    xcalloc(n + 1, sizeof(bool))};
			hide_text(&in, raw);
			for (size_t i = 0; i <= n; i++) {
				if (i < n && in.byte[i])
					h->byte[v + i - h->text] = true;
				if (in.empty[i])
					h->empty[v + i - h->text] = true;
			}
			free(in.byte);
			free(in.empty);
			free(raw);
		}
	}
}

/* ---- URIs ---- */

/* Does s start a query parameter "name=" (name of key characters)? */
static size_t query_key_len(const char *s)
{
	size_t n = 0;
	while (is_key_char(s[n]))
		n++;
	return n > 0 && s[n] == '=' ? n : 0;
}

/* The value of every secret "?key=" or "&key=". A value ends only where
 * an '&' starts another "name=", since an unencoded password may itself
 * contain '&'. */
static void hide_query(struct hidden *h, const char *s)
{
	while (*s) {
		size_t k;
		if ((*s == '?' || *s == '&') && (k = query_key_len(s + 1)) &&
		    is_secret_key(s + 1, k)) {
			s += k + 2;
			const char *v = s;
			while (*s && !(*s == '&' && query_key_len(s + 1)))
				s++;
			hide(h, v, s);
			continue;
		}
		s++;
	}
}

/* "user:password@" at the start of s. The password runs from the first
 * ':' to the LAST '@': a user name cannot hold an unencoded ':', so the
 * hidden span always covers the whole password, even when '@' appears in
 * it or later in the URL. */
static void hide_credentials(struct hidden *h, const char *s)
{
	const char *at = strrchr(s, '@');
	const char *colon = at ? memchr(s, ':', (size_t)(at - s)) : NULL;
	if (colon)
		hide(h, colon + 1, at);
}

static void hide_text(struct hidden *h, const char *s)
{
	size_t n = scheme_len(s);
	const char *lead = s;
	while (isspace((unsigned char)*lead))
		lead++;
	struct kv_tok t;
	if (n && s[n + 1] == '/' && s[n + 2] == '/') {
		const char *rest = s + n + 3;
		if (*rest != '/')  /* "scheme:///…" has an empty authority */
			hide_credentials(h, rest);
		hide_query(h, rest);
	} else if (kv_next(&lead, &t) == 1) {
		hide_conninfo(h, s, false);
		return;
	} else {
		/* an unknown form: still treat "user:secret@" as a credential */
		hide_credentials(h, s);
		hide_query(h, s);
	}
	/* Whatever the form, words that are pairs: the text may be a
	 * connection string whose first word is no pair ("localhost
	 * password=x"). */
	hide_conninfo(h, s, true);
}

char *url_mask(const char *s)
{
	if (!s)
		return xstrdup("");
	size_t len = strlen(s);
	struct hidden h = {s, xcalloc(len + 1, sizeof(bool)),
	                   xcalloc(len + 1, sizeof(bool))};
	hide_text(&h, s);
	/* each run of hidden bytes, and each empty secret, shows as one mask */
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i <= len; i++) {
		bool after_hidden = i > 0 && h.byte[i - 1];
		if (i < len && h.byte[i]) {
			if (!after_hidden)
				sb_adds(&sb, URL_MASK);
		} else {
			if (h.empty[i] && !after_hidden)
				sb_adds(&sb, URL_MASK);
			if (i < len)
				sb_addc(&sb, s[i]);
		}
	}
	free(h.byte);
	free(h.empty);
	return sb_detach(&sb);
}

/* ---- parsing ---- */

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decodes s[0..n); a '%' not followed by two hex digits stays. */
static char *pct_decode(const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < n &&
		    (hi = hex_digit(s[i + 1])) >= 0 && (lo = hex_digit(s[i + 2])) >= 0) {
			sb_addc(&sb, (char)(hi * 16 + lo));
			i += 2;
		} else {
			sb_addc(&sb, s[i]);
		}
	}
	return sb_detach(&sb);
}

/* The database name given, or libpq's default for an absent one:
 * PGDATABASE, then the user name (given, PGUSER, or the operating-system
 * user). Takes ownership of both arguments. */
static char *pg_dbname(char *dbname, char *user)
{
	if (dbname && *dbname) {
		free(user);
		return dbname;
	}
	free(dbname);
	const char *env = getenv("PGDATABASE");
	if (env && *env) {
		free(user);
		return xstrdup(env);
	}
	if (user && *user)
		return user;
	free(user);
	env = getenv("PGUSER");
	if (env && *env)
		return xstrdup(env);
	struct passwd *pw = getpwuid(geteuid());
	if (pw && pw->pw_name && *pw->pw_name)
		return xstrdup(pw->pw_name);
	env = getenv("USER");
	return xstrdup(env && *env ? env : "postgres");
}

/* The database a libpq URI names; rest points after "//". */
static char *pg_uri_dbname(const char *rest)
{
	char *dbname = NULL, *user = NULL;
	const char *p = rest;
	/* libpq ends the user information at the first '@' before any '/' */
	while (*p && *p != '@' && *p != '/')
		p++;
	if (*p == '@') {
		size_t n = strcspn(rest, ":@");
		user = pct_decode(rest, n);
		p++;
	} else {
		p = rest;
	}
	p += strcspn(p, "/?");
	if (*p == '/') {
		p++;
		size_t n = strcspn(p, "?");
		if (n)
			dbname = pct_decode(p, n);
		p += n;
	}
	while (*p == '?' || *p == '&') {
		p++;
		size_t n = strcspn(p, "&");
		const char *eq = memchr(p, '=', n);
		if (eq) {
			size_t k = (size_t)(eq - p);
			char **slot = k == 6 && !strncmp(p, "dbname", 6) ? &dbname
				: k == 4 && !strncmp(p, "user", 4) ? &user : NULL;
			if (slot && !(*slot && **slot)) {
				free(*slot);
				*slot = pct_decode(eq + 1, n - k - 1);
			}
		}
		p += n;
	}
	return pg_dbname(dbname, user);
}

static char *pg_conninfo_dbname(const char *s)
{
	char *dbname = NULL, *user = NULL;
	struct kv_tok t;
	while (kv_next(&s, &t) == 1) {
		char **slot = t.key_len == 6 && !strncmp(t.key, "dbname", 6) ? &dbname
			: t.key_len == 4 && !strncmp(t.key, "user", 4) ? &user : NULL;
		if (slot) {  /* libpq: a later value wins */
			free(*slot);
			*slot = kv_value(&t);
		}
	}
	return pg_dbname(dbname, user);
}

/* The file name without directory and extension ("app" for "db/app.db"). */
static char *sqlite_dbname(const char *path)
{
	if (strcmp(path, ":memory:") == 0)
		return xstrdup("memory");
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	if (!dot || dot == base)
		return xstrdup(base);
	return xstrndup(base, (size_t)(dot - base));
}

static bool has_sqlite_ext(const char *s)
{
	static const char *const exts[] = {".db", ".sqlite", ".sqlite3"};
	size_t n = strlen(s);
	for (size_t i = 0; i < RT_ARRAY_LEN(exts); i++) {
		size_t e = strlen(exts[i]);
		if (n > e && strcasecmp(s + n - e, exts[i]) == 0 && s[n - e - 1] != '/')
			return true;
	}
	return false;
}

/* Fills u (path or conninfo, dbname) from a trimmed URL; false if the
 * form is not one of retort(1), DATABASES. */
static bool url_classify(const char *s, struct db_url *u)
{
	size_t n = scheme_len(s);
	if (n) {
		/* "sqlite+pysqlite", "postgresql+asyncpg": SQLAlchemy drivers */
		size_t base = strcspn(s, "+:");
		const char *rest = s + n + 1;
		bool slashes = rest[0] == '/' && rest[1] == '/';
		if (base == 6 && strncasecmp(s, "sqlite", 6) == 0) {
			const char *path = NULL;
			if (strcmp(rest, ":memory:") == 0 || strcmp(rest, "//") == 0)
				path = ":memory:";
			else if (slashes && rest[2] == '/')
				path = rest[3] && strcmp(rest + 3, ":memory:") ? rest + 3
					: ":memory:";
			if (!path || path[strlen(path) - 1] == '/')
				return false;
			u->backend = DB_SQLITE;
			u->path = xstrdup(path);
			u->dbname = sqlite_dbname(path);
			return true;
		}
		bool pg = (base == 10 && strncasecmp(s, "postgresql", 10) == 0) ||
			(base == 8 && strncasecmp(s, "postgres", 8) == 0);
		if (pg && slashes) {
			u->backend = DB_POSTGRES;
			u->conninfo = xasprintf("%s://%s", base == 10 ? "postgresql"
						: "postgres", rest + 2);
			u->dbname = pg_uri_dbname(rest + 2);
			return true;
		}
		if (pg || slashes)
			return false;
		/* "name:with-colon.db" is a file name, not a scheme */
	}
	if (kv_is_conninfo(s)) {
		u->backend = DB_POSTGRES;
		u->conninfo = xstrdup(s);
		u->dbname = pg_conninfo_dbname(s);
		return true;
	}
	if (has_sqlite_ext(s)) {
		u->backend = DB_SQLITE;
		u->path = xstrdup(s);
		u->dbname = sqlite_dbname(s);
		return true;
	}
	return false;
}

int url_parse(const char *s, struct db_url *out, char **err)
{
	if (!s)
		s = "";
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	char *url = xstrndup(s, n);
	struct db_url u = {0};
	int rc = RT_OK;
	if (url_classify(url, &u)) {
		u.display = url_mask(url);
		*out = u;
	} else {
		char *masked = url_mask(url);
		rc = rt_err(err, RT_EINPUT, "unsupported database URL '%s': expected "
			    "sqlite:///FILE, postgresql://\u2026 or a .db file", masked);
		free(masked);
	}
	free(url);
	return rc;
}

void url_free(struct db_url *u)
{
	if (!u)
		return;
	free(u->path);
	free(u->conninfo);
	free(u->display);
	free(u->dbname);
	memset(u, 0, sizeof *u);
}
