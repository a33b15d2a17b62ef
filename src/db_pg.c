/* db_pg.c: the PostgreSQL backend (libpq). */
#include "db_impl.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pq.h"
#include "sqllex.h"
#include "util.h"

extern char **environ;

#define PG_POLL_SECONDS 0.1
/* The advisory lock's first key: "retr". The second is a hash of the
 * version table's name, so that two version tables in one database (two
 * applications) do not block each other. Both keys stay positive so that
 * pg_locks.classid/objid (oids) compare with them as plain numbers. */
#define PG_LOCK_CLASS 0x72657472
/* With a statement timeout the server answers at the latest when it
 * cancels the statement; the client waits this much longer for the answer
 * to travel before it takes the server or the network for gone. */
#define PG_ANSWER_GRACE 5.0

static const struct db_query pg_query;

struct pg_db {
	struct db_online on;
	PGconn *conn;
	char *conninfo; /* the caller's, for pg_dump */
	char *display;  /* the URL as shown, password masked */
	char lock_key[2][16];
	bool locked;
	PGcancel *cancel; /* made at open, so that a signal handler can use it */
	double timeout;   /* --statement-timeout in seconds, 0 for none */
	/* Set when the client gave up waiting: conn is then closed and NULL,
	 * and every call fails at once with this message. */
	char *lost;
};

static struct pg_db *pg(struct db *db)
{
	return (struct pg_db *)db;
}

/* libpq messages end with a newline; ours never do. */
static char *trimmed(const char *msg)
{
	size_t n = msg ? strlen(msg) : 0;
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	return n ? xstrndup(msg, n) : xstrdup("unknown PostgreSQL error");
}

/* The server's message (primary, then detail and hint: the position is of
 * no use for a statement the caller already locates), or libpq's own when
 * the server said nothing. Clears res. */
static int pg_fail(struct pg_db *p, PGresult *res, char **err)
{
	const char *primary =
		res ? pq.PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char *msg;
	if (primary) {
		struct strbuf sb = STRBUF_INIT;
		sb_adds(&sb, primary);
		const char *detail = pq.PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
		const char *hint = pq.PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
		const char *state = pq.PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (p->timeout > 0 && state && strcmp(state, "57014") == 0 &&
		    strstr(primary, "statement timeout"))
			sb_addf(&sb, " (--statement-timeout %g s)", p->timeout);
		if (detail)
			sb_addf(&sb, "\nDETAIL:  %s", detail);
		if (hint)
			sb_addf(&sb, "\nHINT:  %s", hint);
		msg = sb_detach(&sb);
	} else {
		const char *text = res ? pq.PQresultErrorMessage(res) : "";
		msg = trimmed(*text ? text : pq.PQerrorMessage(p->conn));
		/* libpq adds this when asked for the result of a connection it
		 * has just dropped: the line before it says what happened */
		char *tail = strstr(msg, "\ninvalid socket");
		if (tail && !tail[strlen("\ninvalid socket")])
			*tail = '\0';
	}
	pq.PQclear(res);
	int rc = rt_err(err, RT_EDB, "%s", msg);
	free(msg);
	return rc;
}

/* Closes a connection that no longer answers; later calls fail with why. */
static void pg_give_up(struct pg_db *p, char *why)
{
	pq.PQfinish(p->conn);
	p->conn = NULL;
	p->lost = why;
}

/* Waits until libpq holds the next result. A signal ends poll() early and
 * the wait goes on: the handler has sent the cancel, the answer follows.
 * Returns false when the client gave up (see PG_ANSWER_GRACE). */
static bool pg_await(struct pg_db *p)
{
	double deadline = p->timeout > 0 ? now_monotonic() + p->timeout + PG_ANSWER_GRACE : 0;
	while (pq.PQisBusy(p->conn) && pq.PQsocket(p->conn) >= 0) {
		int ms = -1;
		if (deadline > 0) {
			double left = deadline - now_monotonic();
			if (left <= 0) {
				pg_give_up(p, xasprintf(
				    "no answer from the PostgreSQL server %g s after the statement "
				    "timeout (--statement-timeout %g): the server or the network is "
				    "gone; the connection was closed, and the server rolls back the "
				    "open transaction when it notices", PG_ANSWER_GRACE, p->timeout));
				return false;
			}
			ms = (int)(left * 1000.0) + 1;
		}
		struct pollfd pfd = {pq.PQsocket(p->conn), POLLIN, 0};
		int r = poll(&pfd, 1, ms);
		if (r < 0 && errno != EINTR)
			return true; /* PQgetResult reports the broken connection */
		if (r > 0 && !pq.PQconsumeInput(p->conn))
			return true;
	}
	return true;
}

/* A script's COPY … FROM STDIN has no data to read, and COPY … TO STDOUT
 * nobody to read it: end the copy; its outcome is the next result. */
static void pg_end_copy(PGconn *c, ExecStatusType st)
{
	if (st == PGRES_COPY_IN) {
		pq.PQputCopyEnd(c, "COPY FROM STDIN is not supported in a migration script");
	} else if (st == PGRES_COPY_OUT) {
		char *buf;
		while (pq.PQgetCopyData(c, &buf, 0) > 0)
			pq.PQfreemem(buf);
	}
}

/* Sends sql (with text parameters when args, NULL binding SQL NULL; as a
 * simple query otherwise, which may hold several statements) and returns
 * the answer: the first error, else the last result. *res is NULL when
 * the client gave up (p->lost says why) or libpq could not send. */
static void pg_roundtrip(struct pg_db *p, const char *sql, const char *const *args,
                         int nargs, PGresult **res)
{
	*res = NULL;
	int sent = args ? pq.PQsendQueryParams(p->conn, sql, nargs, NULL, args, NULL, NULL, 0)
	                : pq.PQsendQuery(p->conn, sql);
	if (!sent)
		return;
	PGresult *last = NULL, *r;
	for (;;) {
		if (!pg_await(p)) {
			pq.PQclear(last);
			return;
		}
		if (!(r = pq.PQgetResult(p->conn)))
			break;
		ExecStatusType st = pq.PQresultStatus(r);
		if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT) {
			pq.PQclear(r);
			pg_end_copy(p->conn, st);
			continue;
		}
		if (last && pq.PQresultStatus(last) == PGRES_FATAL_ERROR) {
			pq.PQclear(r);
			continue;
		}
		pq.PQclear(last);
		last = r;
	}
	*res = last;
}

/* Runs sql and checks the answer against the statuses that mean success
 * (empty_ok: an empty query string is one). On success *out, if given,
 * receives the result (caller clears). */
static int pg_query_one(struct pg_db *p, const char *sql, const char *const *args,
                        int nargs, bool empty_ok, PGresult **out, char **err)
{
	if (!p->conn)
		return rt_err(err, RT_EDB, "%s", p->lost);
	PGresult *res;
	pg_roundtrip(p, sql, args, nargs, &res);
	if (!p->conn)
		return rt_err(err, RT_EDB, "%s", p->lost);
	ExecStatusType st = pq.PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
	    !(empty_ok && st == PGRES_EMPTY_QUERY))
		return pg_fail(p, res, err);
	if (out)
		*out = res;
	else
		pq.PQclear(res);
	return RT_OK;
}

/* Runs sql with text parameters (NULL = SQL NULL). On success *out, if
 * given, receives the result (caller clears). */
static int pg_run(struct pg_db *p, const char *sql, const char *const *args,
                  int nargs, PGresult **out, char **err)
{
	static const char *const none[] = {NULL};
	return pg_query_one(p, sql, args ? args : none, nargs, false, out, err);
}

static void pg_quiet(void *arg, const PGresult *res)
{
	/* library code prints nothing; client_min_messages keeps the chatter
	 * (NOTICE: relation already exists) from being sent at all */
}

/* libpq quotes the offending part of a malformed URL in its message, and
 * that part may be the password: a quoted token of the conninfo that the
 * masked URL (display) no longer contains was secret, and is shown as
 * ****. Caller frees. */
static char *mask_quoted_secrets(const char *conninfo, const char *display,
                                 const char *msg)
{
	struct strbuf sb = STRBUF_INIT;
	const char *q;
	while ((q = strchr(msg, '"')) && strchr(q + 1, '"')) {
		const char *end = strchr(q + 1, '"');
		char *tok = xstrndup(q + 1, (size_t)(end - q - 1));
		bool secret = *tok && strstr(conninfo, tok) && !strstr(display, tok);
		sb_addn(&sb, msg, (size_t)(q - msg) + 1);
		sb_adds(&sb, secret ? "****" : tok);
		sb_addc(&sb, '"');
		free(tok);
		msg = end + 1;
	}
	sb_adds(&sb, msg);
	return sb_detach(&sb);
}

/* A conninfo libpq cannot parse is bad input (exit 2), found before any
 * connection attempt; its message never shows the password. */
static int check_conninfo(const char *conninfo, const char *display, char **err)
{
	char *perr = NULL;
	PQconninfoOption *opts = pq.PQconninfoParse(conninfo, &perr);
	if (opts) {
		pq.PQconninfoFree(opts);
		return RT_OK;
	}
	char *msg = trimmed(perr);
	pq.PQfreemem(perr);
	char *safe = mask_quoted_secrets(conninfo, display, msg);
	int rc = rt_err(err, RT_EINPUT, "malformed PostgreSQL URL '%s': %s", display, safe);
	free(safe);
	free(msg);
	return rc;
}

static uint32_t fnv1a(const char *s, uint32_t h)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The settings of a new session (at open, and after a reconnection). */
static int pg_session_setup(struct pg_db *p, char **err)
{
	pq.PQsetNoticeReceiver(p->conn, pg_quiet, NULL);
	PGcancel *old = p->cancel;
	p->cancel = pq.PQgetCancel(p->conn); /* swapped before the free: see pg_interrupt */
	if (old)
		pq.PQfreeCancel(old);
	int rc = pg_run(p, "SET client_min_messages = warning", NULL, 0, NULL, err);
	if (rc != RT_OK)
		return rc;
	/* A killed retort must not leave its session running a long statement,
	 * lock held, until the statement ends: the server checks for a vanished
	 * client (PostgreSQL 14+; a platform without the check refuses the
	 * setting, and then only the statement's end releases the lock). */
	if (pq.PQserverVersion(p->conn) >= 140000) {
		char *ignored = NULL;
		pg_run(p, "SET client_connection_check_interval = 1000", NULL, 0, NULL,
		       &ignored);
		free(ignored);
	}
	if (p->timeout > 0) {
		char ms[32];
		snprintf(ms, sizeof ms, "%.0f", p->timeout * 1000.0);
		const char *const args[] = {ms};
		rc = pg_run(p, "SELECT set_config('statement_timeout', $1, false)", args, 1,
		            NULL, err);
	}
	return rc;
}

static int pg_open(const struct db_url *url, const char *version_table,
                   struct db **out, char **err)
{
	int rc = pq_load(err);
	if (rc != RT_OK)
		return rc;
	struct pg_db *p = xcalloc(1, sizeof *p);
	p->on.query = &pg_query;
	rc = db_base_init(&p->on.base, &db_pg_ops, SQL_POSTGRES,
	                  version_table, err);
	if (rc != RT_OK) {
		free(p);
		return rc;
	}
	p->conninfo = xstrdup(url->conninfo ? url->conninfo : "");
	p->display = xstrdup(url->display ? url->display : "");
	rc = check_conninfo(p->conninfo, p->display, err);
	if (rc != RT_OK)
		goto fail;

	char host[256], app[300];
	db_host_name(host, sizeof host);
	snprintf(app, sizeof app, "retort %ld@%s", (long)getpid(), host);
	/* fallback_application_name: the user's application_name (in the
	 * conninfo or PGAPPNAME) wins; expand_dbname: the conninfo is a whole
	 * URI or key=value string, PG* variables and .pgpass apply as usual */
	/* connect_timeout before dbname: the URL's own one wins */
	char timeout[24];
	const char *env_timeout = getenv("PGCONNECT_TIMEOUT");
	bool timed = url->connect_timeout > 0 && !(env_timeout && *env_timeout);
	snprintf(timeout, sizeof timeout, "%d", url->connect_timeout);
	const char *const keys[] = {"fallback_application_name", timed ? "connect_timeout" : "dbname",
	                            timed ? "dbname" : NULL, NULL};
	const char *const vals[] = {app, timed ? timeout : p->conninfo,
	                            timed ? p->conninfo : NULL, NULL};
	p->conn = pq.PQconnectdbParams(keys, vals, 1);
	if (!p->conn) {
		rc = rt_err(err, RT_EDB, "out of memory connecting to PostgreSQL");
		goto fail;
	}
	if (pq.PQstatus(p->conn) != CONNECTION_OK) {
		char *msg = trimmed(pq.PQerrorMessage(p->conn));
		char *safe = mask_quoted_secrets(p->conninfo, p->display, msg);
		rc = rt_err(err, RT_EDB, "%s", safe);
		free(safe);
		free(msg);
		goto fail;
	}
	rc = pg_session_setup(p, err);
	if (rc != RT_OK)
		goto fail;

	snprintf(p->lock_key[0], sizeof p->lock_key[0], "%d", PG_LOCK_CLASS);
	snprintf(p->lock_key[1], sizeof p->lock_key[1], "%u",
	         fnv1a(version_table, fnv1a("retort:", 2166136261u)) & 0x7fffffffu);
	*out = &p->on.base;
	return RT_OK;
fail:
	if (p->cancel)
		pq.PQfreeCancel(p->cancel);
	pq.PQfinish(p->conn);
	free(p->conninfo);
	free(p->display);
	free(p);
	return rc;
}

static void pg_unlock(struct db *db)
{
	struct pg_db *p = pg(db);
	if (!p->locked)
		return;
	/* failing here (a broken connection) is harmless: the session's end
	 * releases the lock */
	const char *const args[] = {p->lock_key[0], p->lock_key[1]};
	pg_run(p, "SELECT pg_advisory_unlock($1::int4, $2::int4)", args, 2, NULL,
	       NULL);
	p->locked = false;
}

static void pg_close(struct db *db)
{
	struct pg_db *p = pg(db);
	pg_unlock(db);
	if (p->cancel)
		pq.PQfreeCancel(p->cancel);
	pq.PQfinish(p->conn);
	free(p->conninfo);
	free(p->display);
	free(p->lost);
	free(p);
}

static int pg_lock_holder(struct db *db, char **holder, char **err)
{
	struct pg_db *p = pg(db);
	const char *const args[] = {p->lock_key[0], p->lock_key[1]};
	PGresult *res = NULL;
	*holder = NULL;
	int rc = pg_run(p,
		"SELECT a.pid, coalesce(host(a.client_addr), 'local'), a.usename, "
		"to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), "
		"coalesce(a.application_name, '') "
		"FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
		"WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
		"AND l.classid = $1::int8::oid AND l.objid = $2::int8::oid "
		"AND l.database = (SELECT oid FROM pg_database "
		"WHERE datname = current_database()) "
		"LIMIT 1", args, 2, &res, err);
	if (rc != RT_OK)
		return rc;
	if (pq.PQntuples(res) == 1) {
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "pid %s on %s as %s since %s", pq.PQgetvalue(res, 0, 0),
		        pq.PQgetvalue(res, 0, 1), pq.PQgetvalue(res, 0, 2),
		        pq.PQgetvalue(res, 0, 3));
		if (*pq.PQgetvalue(res, 0, 4))
			sb_addf(&sb, " (%s)", pq.PQgetvalue(res, 0, 4));
		*holder = sb_detach(&sb);
	}
	pq.PQclear(res);
	return RT_OK;
}

static char *pg_holder_of(void *ctx)
{
	char *holder = NULL, *ignored = NULL;
	pg_lock_holder(ctx, &holder, &ignored);
	free(ignored);
	return holder;
}

static int pg_lock(struct db *db, const struct db_wait *w, char **err)
{
	struct pg_db *p = pg(db);
	if (p->locked)
		return RT_OK;
	const char *const args[] = {p->lock_key[0], p->lock_key[1]};
	struct db_waiting wt;
	db_waiting_start(&wt, w, pg_holder_of, db);
	int rc;
	for (;;) {
		PGresult *res = NULL;
		rc = pg_run(p, "SELECT pg_try_advisory_lock($1::int4, $2::int4)",
		            args, 2, &res, err);
		if (rc != RT_OK)
			break;
		bool got = pq.PQntuples(res) == 1 && strcmp(pq.PQgetvalue(res, 0, 0), "t") == 0;
		pq.PQclear(res);
		if (got)
			break;
		if (db->stop) {
			rc = rt_err(err, RT_EINTR, "interrupted while waiting for the migration lock");
			break;
		}
		int t = db_waiting_tick(&wt);
		if (t == RT_ELOCK) {
			char *holder = pg_holder_of(db);
			rc = db_lock_timeout_err(err, holder, w->timeout);
			free(holder);
			break;
		}
		if (t != RT_OK) {
			rc = db_lock_cancelled_err(err, db_waiting_holder(&wt), db_waiting_elapsed(&wt));
			break;
		}
		db_sleep(PG_POLL_SECONDS);
	}
	db_waiting_end(&wt);
	if (rc == RT_OK)
		p->locked = true;
	return rc;
}

static int pg_exec(struct db *db, const char *sql, char **err)
{
	return pg_query_one(pg(db), sql, NULL, 0, true, NULL, err);
}

/* A transaction needs a session: when the server ended this one (a
 * terminated backend, a restart), one new connection is tried, so that the
 * ledger can still record why the step failed. The advisory lock ended
 * with the old session; the runner starts no step after a failure. */
static int pg_begin(struct db *db, char **err)
{
	struct pg_db *p = pg(db);
	if (p->conn && pq.PQstatus(p->conn) == CONNECTION_BAD) {
		pq.PQreset(p->conn);
		if (pq.PQstatus(p->conn) != CONNECTION_OK) {
			char *msg = trimmed(pq.PQerrorMessage(p->conn));
			char *safe = mask_quoted_secrets(p->conninfo, p->display, msg);
			int rc = rt_err(err, RT_EDB, "the connection was lost and could not be made "
			                "again: %s", safe);
			free(safe);
			free(msg);
			return rc;
		}
		p->locked = false;
		int rc = pg_session_setup(p, err);
		if (rc != RT_OK)
			return rc;
	}
	return pg_exec(db, "BEGIN", err);
}

/* Whether a statement of a Transaction: none script may share an
 * implicit transaction with the ledger's record of it: not one that ends
 * or starts a transaction or needs one of its own (BEGIN, COMMIT, …,
 * SAVEPOINT, LOCK, SET, DECLARE), not one that refuses to run in a
 * transaction block or commits inside itself (VACUUM, … CONCURRENTLY,
 * CALL, DO), and not COPY, whose data would be asked for. */
static bool pg_shares_transaction(const char *sql)
{
	static const char *const alone[] = {
		"BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE",
		"PREPARE", "LOCK", "SET", "RESET", "DECLARE", "VACUUM", "CALL", "DO", "COPY",
		"DISCARD", "CHECKPOINT", "REINDEX", "CLUSTER",
	};
	struct sqllex lx;
	struct sql_token t;
	sqllex_init(&lx, sql, strlen(sql), SQL_POSTGRES, 1);
	bool first = true;
	for (sqllex_next(&lx, &t); t.type != SQL_TOK_EOF; sqllex_next(&lx, &t)) {
		if (t.type == SQL_TOK_COMMENT)
			continue;
		if (t.type == SQL_TOK_ERROR)
			return false;
		if (first) {
			first = false;
			if (t.type != SQL_TOK_WORD)
				return false;
			for (size_t i = 0; i < RT_ARRAY_LEN(alone); i++)
				if (sqllex_is(&lx, &t, alone[i]))
					return false;
		}
		if (t.type == SQL_TOK_WORD && (sqllex_is(&lx, &t, "CONCURRENTLY") ||
		                              sqllex_is(&lx, &t, "DATABASE") ||
		                              sqllex_is(&lx, &t, "TABLESPACE") ||
		                              sqllex_is(&lx, &t, "SYSTEM") ||
		                              sqllex_is(&lx, &t, "SUBSCRIPTION")))
			return false;
	}
	return !first;
}

/* exec_noted: the statement and the ledger's record of it in one round
 * trip, one implicit transaction, where the statement allows it. */
static int pg_exec_noted(struct db *db, const char *sql, int64_t id, int64_t line,
                         double ms, bool *ran, char **err)
{
	struct pg_db *p = pg(db);
	*ran = false;
	if (!p->conn)
		return rt_err(err, RT_EDB, "%s", p->lost);
	if (!pg_shares_transaction(sql))
		return db_online_exec_noted(db, sql, id, line, ms, ran, err);
	char *note = db_history_progress_sql(id, line, ms);
	/* the newline ends a -- comment on the statement's last line */
	char *both = xasprintf("%s\n;\n%s", sql, note);
	PGresult *res;
	pg_roundtrip(p, both, NULL, 0, &res);
	free(both);
	free(note);
	if (!p->conn)
		return rt_err(err, RT_EDB, "%s", p->lost);
	ExecStatusType st = pq.PQresultStatus(res);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		pq.PQclear(res);
		*ran = true;
		return RT_OK;
	}
	/* a statement that refuses an implicit transaction block and was
	 * not recognised above: nothing ran, so it runs again alone (not
	 * inside the script's own transaction, which the error has ended) */
	const char *state = res ? pq.PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (state && strcmp(state, "25001") == 0 &&
	    pq.PQtransactionStatus(p->conn) == PQTRANS_IDLE) {
		pq.PQclear(res);
		return db_online_exec_noted(db, sql, id, line, ms, ran, err);
	}
	return pg_fail(p, res, err);
}

static int pg_commit(struct db *db, char **err)
{
	struct pg_db *p = pg(db);
	PGresult *res = NULL;
	int rc = pg_query_one(p, "COMMIT", NULL, 0, false, &res, err);
	if (rc != RT_OK)
		return rc;
	/* COMMIT of a failed transaction "succeeds" by rolling back */
	bool rolled_back = strcmp(pq.PQcmdStatus(res), "ROLLBACK") == 0;
	pq.PQclear(res);
	if (rolled_back)
		return rt_err(err, RT_EDB,
		              "the transaction had failed and was rolled back");
	return RT_OK;
}

static int pg_rollback(struct db *db, char **err)
{
	return pg_exec(db, "ROLLBACK", err);
}

static int pg_query_run(struct db *db, const char *sql,
                        const char *const *args, int nargs, db_row_fn *row,
                        void *ctx, long *changes, char **err)
{
	PGresult *res = NULL;
	int rc = pg_run(pg(db), sql, args, nargs, &res, err);
	if (rc != RT_OK)
		return rc;
	int ncols = pq.PQnfields(res);
	const char **cols = xcalloc((size_t)ncols + 1, sizeof *cols);
	for (int i = 0; row && i < pq.PQntuples(res); i++) {
		for (int c = 0; c < ncols; c++)
			cols[c] = pq.PQgetisnull(res, i, c) ? NULL : pq.PQgetvalue(res, i, c);
		row(ctx, cols, ncols);
	}
	if (changes)
		*changes = strtol(pq.PQcmdTuples(res), NULL, 10);
	free(cols);
	pq.PQclear(res);
	return RT_OK;
}

/* Whether the table is visible on the search path. */
static int pg_table_exists(struct db *db, const char *name, bool *exists,
                           char **err)
{
	char *quoted = xasprintf("\"%s\"", name);
	const char *const args[] = {quoted};
	PGresult *res = NULL;
	int rc = pg_run(pg(db), "SELECT to_regclass($1) IS NOT NULL", args, 1,
	                &res, err);
	free(quoted);
	if (rc != RT_OK)
		return rc;
	*exists = pq.PQntuples(res) == 1 && strcmp(pq.PQgetvalue(res, 0, 0), "t") == 0;
	pq.PQclear(res);
	return RT_OK;
}

/* ---- backup: pg_dump ---- */

static void add_conninfo_value(struct strbuf *sb, const char *key,
                               const char *val)
{
	if (sb->len)
		sb_addc(sb, ' ');
	sb_addf(sb, "%s='", key);
	for (const char *c = val; *c; c++) {
		if (*c == '\'' || *c == '\\')
			sb_addc(sb, '\\');
		sb_addc(sb, *c);
	}
	sb_addc(sb, '\'');
}

/* The conninfo's parameters (caller frees with PQconninfoFree). */
static int conninfo_parse(const char *conninfo, PQconninfoOption **opts, char **err)
{
	char *perr = NULL;
	*opts = pq.PQconninfoParse(conninfo, &perr);
	if (*opts)
		return RT_OK;
	char *msg = trimmed(perr);
	pq.PQfreemem(perr);
	int rc = rt_err(err, RT_EINPUT, "%s", msg);
	free(msg);
	return rc;
}

/* The conninfo's parameters as key='value' pairs into sb, all but the one
 * named taken. */
static int conninfo_without(const char *conninfo, const char *taken,
                            struct strbuf *sb, char **err)
{
	PQconninfoOption *opts;
	int rc = conninfo_parse(conninfo, &opts, err);
	if (rc != RT_OK)
		return rc;
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (o->val && *o->val && strcmp(o->keyword, taken) != 0)
			add_conninfo_value(sb, o->keyword, o->val);
	pq.PQconninfoFree(opts);
	return RT_OK;
}

/* How pg_dump is given the connection. Its command line is visible to
 * every user (ps), so it gets the conninfo without any secret; a secret
 * that libpq reads from a variable (password: PGPASSWORD) goes in its
 * environment, and any other (sslpassword, …) in a service file that
 * exists only in memory (memfd_create, 0600), named by PGSERVICEFILE and
 * PGSERVICE. Both are private to the user: /proc/PID/environ and
 * /proc/PID/fd are readable by the user and root only. */
struct dump_conn {
	char *conninfo;   /* for --dbname */
	char **vars;      /* "NAME=value" for the child's environment */
	uint32_t nvars;
	int service_fd;   /* the service file, or -1 */
};

#define DUMP_SERVICE "retort_pg_dump"

static void wipe(char *s)
{
	if (s) {
		/* volatile: the stores must happen although s is freed next */
		volatile char *v = s;
		while (*v)
			*v++ = '\0';
	}
}

static void dump_conn_free(struct dump_conn *dc)
{
	free(dc->conninfo);
	for (uint32_t i = 0; i < dc->nvars; i++) {
		wipe(dc->vars[i]);
		free(dc->vars[i]);
	}
	free(dc->vars);
	if (dc->service_fd >= 0)
		close(dc->service_fd);
	memset(dc, 0, sizeof *dc);
	dc->service_fd = -1;
}

static bool dump_secret(const PQconninfoOption *o)
{
	return (o->dispchar && o->dispchar[0] == '*') || url_secret_key(o->keyword);
}

/* The service file in memory; its text is wiped by the caller. */
static int dump_service_file(struct dump_conn *dc, const char *text, char **err)
{
	int fd = memfd_create(DUMP_SERVICE, MFD_CLOEXEC);
	if (fd < 0)
		return rt_err(err, RT_EFAIL, "cannot make pg_dump's service file in memory: %s",
		              strerror(errno));
	if (fchmod(fd, 0600) != 0 || !write_all(fd, text, strlen(text))) {
		int e = errno;
		close(fd);
		return rt_err(err, RT_EFAIL, "cannot write pg_dump's service file: %s", strerror(e));
	}
	dc->service_fd = fd;
	dc->vars[dc->nvars++] = xasprintf("PGSERVICEFILE=/proc/self/fd/%d", fd);
	dc->vars[dc->nvars++] = xstrdup("PGSERVICE=" DUMP_SERVICE);
	return RT_OK;
}

static int dump_conn_make(const char *conninfo, struct dump_conn *dc, char **err)
{
	memset(dc, 0, sizeof *dc);
	dc->service_fd = -1;
	PQconninfoOption *opts;
	int rc = conninfo_parse(conninfo, &opts, err);
	if (rc != RT_OK)
		return rc;
	size_t nopts = 0;
	while (opts[nopts].keyword)
		nopts++;
	dc->vars = xcalloc(nopts + 3, sizeof *dc->vars);
	struct strbuf line = STRBUF_INIT, service = STRBUF_INIT;
	const char *named_service = NULL, *first_unnamed = NULL;
	for (PQconninfoOption *o = opts; o->keyword && rc == RT_OK; o++) {
		if (!o->val || !*o->val)
			continue;
		if (!dump_secret(o)) {
			if (strcmp(o->keyword, "service") == 0)
				named_service = o->val;
			add_conninfo_value(&line, o->keyword, o->val);
		} else if (o->envvar) {
			dc->vars[dc->nvars++] = xasprintf("%s=%s", o->envvar, o->val);
		} else {
			/* a service file line ends at a line break, and libpq
			 * trims the spaces that end it */
			size_t n = strlen(o->val);
			if (strpbrk(o->val, "\r\n") || isspace((unsigned char)o->val[n - 1]))
				rc = rt_err(err, RT_EINPUT,
				            "the URL's %s cannot be handed to pg_dump: it holds a line "
				            "break or ends in a space", o->keyword);
			if (!service.len)
				sb_adds(&service, "[" DUMP_SERVICE "]\n");
			sb_addf(&service, "%s=%s\n", o->keyword, o->val);
			if (!first_unnamed)
				first_unnamed = o->keyword;
		}
	}
	if (rc == RT_OK && service.len) {
		/* a service file cannot name another service, and replacing the
		 * one in use would lose its settings */
		const char *svc = named_service ? named_service : getenv("PGSERVICE");
		if (svc && *svc)
			rc = rt_err(err, RT_EFAIL,
			            "pg_dump cannot be given the URL's %s while the connection uses "
			            "the service '%s' without showing it on its command line: put %s "
			            "in that service's definition instead",
			            first_unnamed, svc, first_unnamed);
		else
			rc = dump_service_file(dc, sb_str(&service), err);
	}
	if (service.len)
		wipe(service.buf);
	sb_free(&service);
	pq.PQconninfoFree(opts);
	if (rc != RT_OK) {
		sb_free(&line);
		dump_conn_free(dc);
		return rc;
	}
	dc->conninfo = sb_detach(&line);
	return RT_OK;
}

int db_pg_conninfo_with_dbname(const char *conninfo, const char *dbname,
                               char **out, char **err)
{
	*out = NULL;
	int rc = pq_load(err);
	if (rc != RT_OK)
		return rc;
	struct strbuf sb = STRBUF_INIT;
	rc = conninfo_without(conninfo ? conninfo : "", "dbname", &sb, err);
	if (rc != RT_OK) {
		sb_free(&sb);
		return rc;
	}
	add_conninfo_value(&sb, "dbname", dbname);
	*out = sb_detach(&sb);
	return RT_OK;
}

/* The environment for pg_dump: ours, with the variables of dc replacing
 * any of the same names. The strings are borrowed. */
static char **child_env(const struct dump_conn *dc)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = xcalloc(n + dc->nvars + 1, sizeof *env);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		bool replaced = false;
		for (uint32_t j = 0; j < dc->nvars && !replaced; j++) {
			size_t len = strcspn(dc->vars[j], "=") + 1;
			replaced = strncmp(environ[i], dc->vars[j], len) == 0;
		}
		if (!replaced)
			env[k++] = environ[i];
	}
	for (uint32_t j = 0; j < dc->nvars; j++)
		env[k++] = dc->vars[j];
	env[k] = NULL;
	return env;
}

#define RUN_OUTPUT_KEEP (64 * 1024)

/* Runs argv with env, its standard error captured into *output; keep_fd
 * (or -1) stays open in the child. Returns the wait status, or -1 with
 * errno set. */
static int run_captured(char *const argv[], char *const env[], int keep_fd,
                        char **output)
{
	int fds[2];
	struct strbuf sb = STRBUF_INIT;
	*output = NULL;
	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(fds[0]);
		close(fds[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		if (null >= 0)
			dup2(null, 0);
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		signal(SIGPIPE, SIG_DFL); /* retort ignores it; exec would keep that */
		if (keep_fd >= 0)
			fcntl(keep_fd, F_SETFD, 0);
		execvpe(argv[0], argv, env);
		const char *why = strerror(errno);
		if (write(2, argv[0], strlen(argv[0])) < 0 || write(2, ": ", 2) < 0 ||
		    write(2, why, strlen(why)) < 0) {
			/* nothing left to tell anyone */
		}
		_exit(127);
	}
	close(fds[1]);
	char buf[4096];
	ssize_t r;
	while ((r = read(fds[0], buf, sizeof buf)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		/* what pg_dump says is kept up to a bound, and read to its end */
		size_t room = RUN_OUTPUT_KEEP - sb.len;
		sb_addn(&sb, buf, (size_t)r < room ? (size_t)r : room);
	}
	close(fds[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			sb_free(&sb);
			return -1;
		}
	}
	*output = sb_detach(&sb);
	return status;
}

static int pg_backup(struct db *db, const char *dest,
                     void (*progress)(void *ctx, double fraction), void *ctx,
                     char **err)
{
	struct pg_db *p = pg(db);
	struct dump_conn dc;
	char *output = NULL;
	int fd;
	int rc = dump_conn_make(p->conninfo, &dc, err);
	if (rc != RT_OK)
		return rc;
	rc = db_backup_create(dest, &fd, err);
	if (rc != RT_OK)
		goto out;
	close(fd);

	if (progress)
		progress(ctx, 0.0);
	char *argv[] = {"pg_dump", "--no-owner", "--file", (char *)dest,
	                "--dbname", dc.conninfo, NULL};
	char **env = child_env(&dc);
	int status = run_captured(argv, env, dc.service_fd, &output);
	free(env);
	if (status < 0) {
		rc = rt_err(err, RT_EFAIL, "pg_dump: %s", strerror(errno));
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char *msg = trimmed(output);
		if (WIFEXITED(status))
			rc = rt_err(err, RT_EFAIL, "pg_dump failed (exit status %d): %s",
			            WEXITSTATUS(status), msg);
		else
			rc = rt_err(err, RT_EFAIL, "pg_dump was killed by signal %d: %s",
			            WTERMSIG(status), msg);
		free(msg);
	} else if (progress) {
		progress(ctx, 1.0);
	}
	if (rc != RT_OK)
		unlink(dest);
out:
	free(output);
	dump_conn_free(&dc);
	return rc;
}

static void pg_interrupt(struct db *db)
{
	struct pg_db *p = pg(db);
	char why[256];
	if (p->cancel && !pq.PQcancel(p->cancel, why, sizeof why)) {
		/* no way to report from a handler; the statement then runs on,
		 * and the runner stops after it */
	}
}

static int pg_set_statement_timeout(struct db *db, double seconds, char **err)
{
	struct pg_db *p = pg(db);
	char ms[32];
	snprintf(ms, sizeof ms, "%.0f", seconds > 0 ? seconds * 1000.0 : 0.0);
	const char *const args[] = {ms};
	int rc = pg_run(p, "SELECT set_config('statement_timeout', $1, false)", args, 1,
	                NULL, err);
	if (rc == RT_OK)
		p->timeout = seconds > 0 ? seconds : 0;
	return rc;
}

static const struct db_query pg_query = {
	.run = pg_query_run,
	.table_exists = pg_table_exists,
};

const struct db_ops db_pg_ops = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.lock = pg_lock,
	.unlock = pg_unlock,
	.lock_holder = pg_lock_holder,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.exec = pg_exec,
	DB_ONLINE_OPS,
	.exec_noted = pg_exec_noted,
	.step_record = db_online_step_record,
	.backup = pg_backup,
	.interrupt = pg_interrupt,
	.set_statement_timeout = pg_set_statement_timeout,
};
