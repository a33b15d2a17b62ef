/* run.c: see run.h. */
#include "run.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "inspect.h"
#include "sha256.h"
#include "sqllex.h"

/* ---- signals during a run ---- */

/* The signal that interrupted the run (0: none), and the handle whose
 * statement the handler stops. An atomic, not a sig_atomic_t: a fleet's
 * threads read it while the handler writes it on another (a lock-free
 * atomic is as safe in a handler). */
static _Atomic int run_signal;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "a signal handler writes run_signal");
static struct db *volatile run_db;
/* run_signal once the handlers are gone, for run_interrupt_signal; the
 * flag itself is cleared so that a later run (the shell's next command)
 * does not see it. */
static int last_signal;

static const int run_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define RUN_NSIGNALS RT_ARRAY_LEN(run_signals)

struct caught {
	struct sigaction old[RUN_NSIGNALS];
	bool installed[RUN_NSIGNALS];
};

static void on_signal(int sig)
{
	int saved = errno;
	struct db *db = run_db;
	if (db)
		db->stop = 1;  /* a wait for the lock ends */
	/* the first signal stops the statement; later ones must not cancel
	 * the rollback or the ledger row that record the interruption */
	if (!run_signal) {
		run_signal = sig;
		if (db && db->ops->interrupt)
			db->ops->interrupt(db);
	}
	errno = saved;
}

static const char *signal_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP"
	                                                                          : "a signal";
}

int run_interrupt_signal(void)
{
	return last_signal;
}

int run_signal_pending(void)
{
	return run_signal;
}

/* The signal that stops the step in progress: none for a run that
 * finishes its step (run_opts.finish_step), which stops before the next. */
static int step_signal(bool finish_step)
{
	return finish_step ? 0 : run_signal;
}

/* No SA_RESTART: a wait in progress returns, and the runner looks at the
 * flag. A signal the process ignores (nohup, a shell's background job)
 * stays ignored. */
static void catch_signals(struct caught *c)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < RUN_NSIGNALS; i++)
		sigaddset(&sa.sa_mask, run_signals[i]);
	run_signal = 0;
	last_signal = 0;
	run_db = NULL;
	for (size_t i = 0; i < RUN_NSIGNALS; i++) {
		c->installed[i] = false;
		if (sigaction(run_signals[i], NULL, &c->old[i]) != 0 ||
		    c->old[i].sa_handler == SIG_IGN)
			continue;
		c->installed[i] = sigaction(run_signals[i], &sa, NULL) == 0;
	}
}

/* Puts the caller's handlers back. When the run was interrupted and the
 * caller had a handler of its own for that signal (the console restores
 * the terminal), the signal is raised again for it. */
static void release_signals(struct caught *c)
{
	for (size_t i = 0; i < RUN_NSIGNALS; i++)
		if (c->installed[i])
			sigaction(run_signals[i], &c->old[i], NULL);
	run_db = NULL;
	last_signal = run_signal;
	run_signal = 0;
	for (size_t i = 0; i < RUN_NSIGNALS; i++) {
		const struct sigaction *o = &c->old[i];
		bool theirs = (o->sa_flags & SA_SIGINFO) ||
		              (o->sa_handler != SIG_DFL && o->sa_handler != SIG_IGN);
		if (c->installed[i] && theirs && last_signal == run_signals[i])
			raise(run_signals[i]);
	}
}

/* The handlers are installed by the outermost run_signals_catch and put
 * back by the matching release. */
static struct caught caught;
static int caught_depth;

void run_signals_catch(void)
{
	if (caught_depth++ == 0)
		catch_signals(&caught);
}

void run_signals_attach(struct db *db)
{
	if (db)
		db->stop = run_signal != 0;
	run_db = db;
}

void run_signals_release(void)
{
	if (caught_depth > 0 && --caught_depth == 0)
		release_signals(&caught);
}

void run_step_title(const struct graph *g, const struct plan_step *s,
                    struct strbuf *out)
{
	if (s->dir == PLAN_STAMP) {
		sb_addf(out, "%s -> %s", *s->heads_before ? s->heads_before : "<base>",
		        *s->heads_after ? s->heads_after : "<base>");
		return;
	}
	const struct gnode *x = &g->nodes[s->rev];
	struct strbuf parents = STRBUF_INIT;
	for (uint32_t i = 0; i < x->nparents; i++)
		sb_addf(&parents, "%s%s", i ? ", " : "", g->nodes[x->parents[i]].s.rev);
	const char *p = x->nparents ? sb_str(&parents) : "<base>";
	if (s->dir == PLAN_UPGRADE)
		sb_addf(out, "%s -> %s, %s", p, x->s.rev, x->s.message);
	else
		sb_addf(out, "%s -> %s, %s", x->s.rev, p, x->s.message);
	sb_free(&parents);
}

static void utc_now(char buf[32])
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	struct tm tm;
	gmtime_r(&tv.tv_sec, &tm);
	size_t n = strftime(buf, 32, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf + n, 32 - n, ".%03d", (int)(tv.tv_usec / 1000));
}

struct who {
	char os_user[64];
	char host[256];
};

static void who_am_i(struct who *w)
{
	if (!os_user_name(w->os_user, sizeof w->os_user)) {
		const char *u = getenv("USER");
		snprintf(w->os_user, sizeof w->os_user, "%s", u ? u : "?");
	}
	if (gethostname(w->host, sizeof w->host) != 0)
		snprintf(w->host, sizeof w->host, "?");
	w->host[sizeof w->host - 1] = '\0';
}

/* purge: the table was emptied already, so the rows to delete are gone. */
static int apply_version_change(struct db *db, const struct plan_step *s, bool purge,
                                char **err)
{
	int rc = RT_OK;
	for (uint32_t i = 0; i < s->ndel && rc == RT_OK && !purge; i++)
		rc = db->ops->version_delete(db, s->del[i], err);
	for (uint32_t i = 0; i < s->nins && rc == RT_OK; i++)
		rc = db->ops->version_insert(db, s->ins[i], err);
	return rc;
}

/* The SQL of one step, its checksum and its statements. */
struct step_sql {
	struct script_now now;   /* the file as read when the run began */
	const char *text;        /* the section, inside now.buf */
	size_t len;
	uint32_t line;
	struct sql_stmt *stmts;
	uint32_t n;
};

/* A statement that ends or starts a transaction would commit part of a
 * migration behind the runner's back (and the version table would then
 * record a migration that was not all applied). */
static int refuse_txn_control(const struct gnode *x, const struct step_sql *q,
                              enum sql_dialect dialect, char **err)
{
	int rc = RT_OK;
	for (uint32_t k = 0; k < q->n; k++) {
		const char *what = sqllex_txn_control(q->text + q->stmts[k].off, q->stmts[k].len,
		                                      dialect);
		if (what)
			rc = rt_err(err, RT_EINPUT,
			    "%s:%u: %s controls the transaction, but retort runs this migration in a "
			    "transaction of its own (its version-table row and ledger row commit with "
			    "it); remove it, or declare '-- Transaction: none' in the header and let "
			    "the script manage its transactions", x->s.path, q->stmts[k].line, what);
	}
	return rc;
}

/* own_tool: the step is delegated (its tool reads the file): only the
 * file's checksum and header are checked, and kept for the ledger. */
static int load_step_sql(struct db *db, const struct gnode *x, enum plan_kind dir,
                         bool own_tool, const char *expect_hex, struct step_sql *out,
                         char **err)
{
	memset(out, 0, sizeof(*out));
	int rc = script_reread(&x->s, &out->now, err);
	if (rc != RT_OK)
		return rc;
	if (expect_hex && strcmp(expect_hex, out->now.hex) != 0)
		return rt_err(err, RT_EFAIL,
		    "%s changed after the plan was shown and confirmed (SHA-256 %.12s… then, "
		    "%.12s… now); what was confirmed is not what would run", x->s.path, expect_hex,
		    out->now.hex);
	if (own_tool)
		return RT_OK;
	out->text = script_now_section(&out->now, plan_kind_section(dir), &out->len,
	                               &out->line);
	char *e = NULL;
	rc = sqllex_split(out->text, out->len, db->dialect, out->line, &out->stmts, &out->n, &e);
	if (rc != RT_OK) {
		unsigned line;
		int at = 0;
		/* "line 8: …" becomes "FILE:8: …", as every other error says */
		if (e && sscanf(e, "line %u: %n", &line, &at) == 1 && at)
			rt_err(err, rc, "%s:%u: %s", x->s.path, line, e + at);
		else
			rt_err(err, rc, "%s: %s", x->s.path, e ? e : "cannot split into statements");
	} else if (x->s.txn != SCRIPT_TXN_NONE) {
		rc = refuse_txn_control(x, out, db->dialect, err);
	}
	free(e);
	return rc;
}

static void step_sql_free(struct step_sql *s)
{
	script_now_free(&s->now);
	free(s->stmts);
}

static void plan_sql_free(struct step_sql *qs, uint32_t n)
{
	for (uint32_t i = 0; qs && i < n; i++)
		step_sql_free(&qs[i]);
	free(qs);
}

/* A step that another tool runs (its format delegates): retort never
 * reads its SQL. */
static bool delegated(const struct graph *g, const struct plan_step *s)
{
	return s->dir != PLAN_STAMP &&
	       script_format_of(&g->nodes[s->rev].s)->exec == SCRIPT_EXEC_DELEGATED;
}

/* Reads and splits every script of the plan before anything runs, so
 * that a script that cannot be split (an unterminated comment in this
 * dialect), that controls its own transaction, or that changed since it
 * was loaded or confirmed stops the run before its first write. *out: one
 * entry per step (stamps left empty). */
static int load_plan_sql(struct db *db, const struct graph *g, const struct plan *p,
                         const struct run_expect *expect, struct step_sql **out, char **err)
{
	struct step_sql *qs = xcalloc(p->n + 1, sizeof(*qs));
	int rc = RT_OK;
	for (uint32_t i = 0; i < p->n; i++) {
		const struct plan_step *s = &p->steps[i];
		if (s->dir == PLAN_STAMP)
			continue;
		const char *hex = expect && i < expect->n ? expect->steps[i].hex : NULL;
		int r = load_step_sql(db, &g->nodes[s->rev], s->dir, delegated(g, s), hex, &qs[i],
		                      err);
		if (r != RT_OK && (rc == RT_OK || r == RT_EINPUT))
			rc = r;
	}
	if (rc != RT_OK) {
		plan_sql_free(qs, p->n);
		return rt_err(err, rc, "nothing was run");
	}
	*out = qs;
	return RT_OK;
}

/* Leaves out of each step the statements skip says to. */
static void skip_stmts(const struct graph *g, const struct plan *p, struct step_sql *qs,
                       run_skip_fn skip, void *ctx)
{
	for (uint32_t i = 0; i < p->n; i++) {
		struct step_sql *q = &qs[i];
		uint32_t kept = 0;
		for (uint32_t k = 0; k < q->n; k++)
			if (!skip(ctx, g->nodes[p->steps[i].rev].s.path, q->stmts[k].line,
			          q->text + q->stmts[k].off, q->stmts[k].len))
				q->stmts[kept++] = q->stmts[k];
		q->n = kept;
	}
}

static char *stmt_text(const struct step_sql *q, uint32_t i)
{
	return xstrndup(q->text + q->stmts[i].off, q->stmts[i].len);
}

static int exec_stmt(struct db *db, const struct step_sql *q, uint32_t i, char **err)
{
	char *sql = stmt_text(q, i);
	int rc = db->ops->exec(db, sql, err);
	free(sql);
	return rc;
}

/* ---- SQLite's PRAGMA foreign_keys ----
 *
 * SQLite ignores PRAGMA foreign_keys inside a transaction, yet its
 * table-rebuild procedure needs foreign keys off: with them on, dropping
 * the old table fires the ON DELETE actions of the tables that reference
 * it, and ON DELETE CASCADE empties them. So in a transactional section
 * the statements that set it before any other run before BEGIN, and those
 * after every other (where the procedure turns them back on) run after
 * COMMIT; one anywhere else would be ignored and is refused before
 * anything runs (fk_refuse). With foreign keys left off, the data is
 * checked before COMMIT; after the step the setting is put back. */

static bool sets_fk(const struct step_sql *q, uint32_t i)
{
	return sqllex_sets_pragma(q->text + q->stmts[i].off, q->stmts[i].len, "foreign_keys");
}

/* How many of the section's first (lead) and last (trail) statements set
 * PRAGMA foreign_keys; 0 and 0 outside SQLite. */
static void fk_span(const struct db *db, const struct step_sql *q, uint32_t *lead,
                    uint32_t *trail)
{
	*lead = *trail = 0;
	if (db->dialect != SQL_SQLITE)
		return;
	while (*lead < q->n && sets_fk(q, *lead))
		(*lead)++;
	while (*lead + *trail < q->n && sets_fk(q, q->n - 1 - *trail))
		(*trail)++;
}

static bool fk_leads(const struct db *db, const struct step_sql *q)
{
	return db->dialect == SQL_SQLITE && q->n && sets_fk(q, 0);
}

/* Before anything runs: a PRAGMA foreign_keys that SQLite would ignore. */
static int fk_refuse(const struct db *db, const struct graph *g, const struct plan *p,
                     const struct step_sql *qs, const struct run_opts *o, char **err)
{
	int rc = RT_OK;
	for (uint32_t i = 0; i < p->n; i++) {
		const struct plan_step *s = &p->steps[i];
		if (s->dir == PLAN_STAMP || g->nodes[s->rev].s.txn == SCRIPT_TXN_NONE)
			continue;
		const struct step_sql *q = &qs[i];
		const char *path = g->nodes[s->rev].s.path;
		uint32_t lead, trail;
		fk_span(db, q, &lead, &trail);
		for (uint32_t k = lead; k + trail < q->n; k++)
			if (sets_fk(q, k))
				rc = rt_err(err, RT_EINPUT,
				            "%s:%u: PRAGMA foreign_keys must lead the section: SQLite ignores "
				            "it inside the migration's transaction (or make the script "
				            "'Transaction: none')", path, q->stmts[k].line);
		if (lead && o->mode == TXN_SINGLE && !o->rehearse) {
			rt_err(err, RT_EFAIL,
			       "%s:%u: PRAGMA foreign_keys cannot be honoured inside the one transaction "
			       "of transaction_mode = single (SQLite ignores it there)", path,
			       q->stmts[0].line);
			if (rc == RT_OK)
				rc = RT_EFAIL;
		}
	}
	if (rc != RT_OK)
		rt_err(err, rc, "nothing was run");
	return rc;
}

/* What fk_enter did, for the rest of the step. */
struct fk_step {
	uint32_t lead, trail; /* statements run before BEGIN, after COMMIT */
	bool restore;         /* put `was` back after the step */
	bool was;
	bool check;           /* foreign keys are off: check before COMMIT */
};

/* Before a step's transaction, when its section sets PRAGMA foreign_keys:
 * reads the setting to put back, runs the leading statements that set it,
 * and narrows q to the statements in between (the trailing ones stay
 * after its end for fk_leave). A Transaction: none section runs as
 * written; only the setting is put back after it. */
static int fk_enter(struct db *db, struct step_sql *q, bool autocommit, struct fk_step *fk,
                    uint32_t *failed_line, char **dberr)
{
	memset(fk, 0, sizeof(*fk));
	bool any = false;
	for (uint32_t k = 0; db->dialect == SQL_SQLITE && k < q->n && !any; k++)
		any = sets_fk(q, k);
	if (!any)
		return RT_OK;
	int rc = RT_OK;
	if (db->ops->foreign_keys) {
		rc = db->ops->foreign_keys(db, &fk->was, dberr);
		fk->restore = rc == RT_OK;
	}
	if (rc != RT_OK || autocommit)
		return rc;
	fk_span(db, q, &fk->lead, &fk->trail);
	for (uint32_t k = 0; k < fk->lead && rc == RT_OK; k++) {
		rc = exec_stmt(db, q, k, dberr);
		if (rc != RT_OK)
			*failed_line = q->stmts[k].line;
	}
	if (rc == RT_OK && fk->lead && db->ops->foreign_keys) {
		bool on = true;
		rc = db->ops->foreign_keys(db, &on, dberr);
		fk->check = !on;
	}
	q->stmts += fk->lead;
	q->n -= fk->lead + fk->trail;
	return rc;
}

/* After the step, committed or not: a committed section's trailing
 * statements run, then the setting the connection had before the step is
 * put back, so that no migration changes what the next one runs with. */
static int fk_leave(struct db *db, const struct step_sql *q, const struct fk_step *fk,
                    bool committed, const char *path, char **err)
{
	int rc = RT_OK;
	char *why = NULL;
	for (uint32_t k = 0; committed && k < fk->trail && rc == RT_OK; k++) {
		rc = exec_stmt(db, q, q->n + k, &why);
		if (rc != RT_OK)
			rt_err(err, RT_EFAIL, "%s:%u: %s (after the migration was applied)", path,
			       q->stmts[q->n + k].line, why ? why : "failed");
	}
	free(why);
	why = NULL;
	if (fk->restore && db->ops->set_foreign_keys(db, fk->was, &why) != RT_OK)
		rc = rt_err(err, RT_EFAIL, "%s: SQLite's foreign_keys setting could not be put back "
		            "after the migration: %s", path, why ? why : "failed");
	free(why);
	return rc == RT_OK ? RT_OK : RT_EFAIL;
}

struct ledger {
	struct history_row row;
	char started[32], finished[32];
	double t0;
};

static void ledger_start(struct ledger *l, const struct plan_step *s, const struct who *w)
{
	memset(l, 0, sizeof(*l));
	utc_now(l->started);
	l->t0 = now_monotonic();
	l->row.revision = (char *)s->rev_id;
	static const enum history_dir ledger_dir[] = {
		[PLAN_UPGRADE] = HISTORY_UPGRADE, [PLAN_DOWNGRADE] = HISTORY_DOWNGRADE,
		[PLAN_STAMP] = HISTORY_STAMP};
	l->row.direction = (char *)history_dir_word(ledger_dir[s->dir]);
	l->row.heads_before = (char *)s->heads_before;
	l->row.heads_after = (char *)s->heads_after;
	l->row.started_at = l->started;
	l->row.os_user = (char *)w->os_user;
	l->row.host = (char *)w->host;
	l->row.retort_version = (char *)PACKAGE_VERSION;
	l->row.pid = (int64_t)getpid();
}

static void ledger_finish(struct ledger *l, enum history_outcome outcome)
{
	utc_now(l->finished);
	l->row.finished_at = l->finished;
	l->row.duration_ms = (now_monotonic() - l->t0) * 1000.0;
	l->row.outcome = (char *)history_outcome_word(outcome);
}

static char *ledger_alone(struct db *db, struct ledger *l);

/* After a failure: the ledger keeps the attempt in its own transaction
 * (over the step's intent record, when it has one). The heads stay as they
 * were (the step did not happen). Returns NULL when the row was written,
 * else why not (caller frees): the server may be gone. */
static char *ledger_failure(struct db *db, struct ledger *l, const char *msg)
{
	ledger_finish(l, HISTORY_FAILED);
	l->row.heads_after = l->row.heads_before;
	l->row.error = (char *)msg;
	return ledger_alone(db, l);
}

/* Writes l's row in a transaction of its own; NULL, or why not (caller
 * frees). */
static char *ledger_alone(struct db *db, struct ledger *l)
{
	char *why = NULL;
	int rc = db->ops->begin(db, &why);
	if (rc == RT_OK)
		rc = db->ops->ensure_tables(db, &why);
	if (rc == RT_OK)
		rc = db->ops->history_insert(db, &l->row, &why);
	if (rc == RT_OK)
		rc = db->ops->commit(db, &why);
	if (rc == RT_OK)
		return NULL;
	char *ignored = NULL;
	db->ops->rollback(db, &ignored);
	free(ignored);
	return why ? why : xstrdup("unknown error");
}

/* A ledger row of a step done by hand (repair, resolve), in a transaction
 * of its own together with the version table's change; open: an intent
 * record to mark interrupted, or NULL. */
static int record_by_hand(struct db *db, const char *rev, enum history_dir direction,
                          enum history_outcome outcome, const char *checksum,
                          const char *heads_before, const char *heads_after,
                          const struct history_row *open,
                          const char *const *del, uint32_t ndel,
                          const char *const *ins, uint32_t nins, char **err)
{
	struct who w;
	who_am_i(&w);
	struct plan_step s = {0};
	s.rev_id = rev;
	s.heads_before = heads_before;
	s.heads_after = heads_after;
	struct ledger l;
	ledger_start(&l, &s, &w);
	l.row.direction = (char *)history_dir_word(direction);
	l.row.checksum = (char *)checksum;
	int rc = db->ops->begin(db, err);
	if (rc == RT_OK)
		rc = db->ops->ensure_tables(db, err);
	if (rc == RT_OK && open && history_outcome(open) == HISTORY_STARTED) {
		/* the intent record says what became of it */
		struct history_row was = *open;
		was.outcome = (char *)history_outcome_word(HISTORY_INTERRUPTED);
		rc = db->ops->history_insert(db, &was, err);
	}
	for (uint32_t i = 0; i < ndel && rc == RT_OK; i++)
		rc = db->ops->version_delete(db, del[i], err);
	for (uint32_t i = 0; i < nins && rc == RT_OK; i++)
		rc = db->ops->version_insert(db, ins[i], err);
	if (rc == RT_OK) {
		ledger_finish(&l, outcome);
		rc = db->ops->history_insert(db, &l.row, err);
	}
	if (rc == RT_OK)
		return db->ops->commit(db, err);
	char *ignored = NULL;
	db->ops->rollback(db, &ignored);
	free(ignored);
	return rc;
}

enum rt_status run_record_repair(struct db *db, const char *rev, const char *checksum,
                                 const char *heads, char **err)
{
	return record_by_hand(db, rev, HISTORY_REPAIR, HISTORY_OK, checksum, heads, heads, NULL,
	                      NULL, 0, NULL, 0, err);
}

enum rt_status run_record_resolve(struct db *db, const struct history_row *open, bool applied,
                                  const char *const *del, uint32_t ndel,
                                  const char *const *ins, uint32_t nins,
                                  const char *heads_before, const char *heads_after, char **err)
{
	return record_by_hand(db, open->revision, HISTORY_RESOLVE,
	                      applied ? HISTORY_APPLIED : HISTORY_REVERTED,
	                      open->checksum, heads_before, heads_after, open, del, ndel, ins,
	                      nins, err);
}

static void note_step(struct db *db, const struct graph *g, const struct plan_step *s)
{
	struct strbuf t = STRBUF_INIT;
	sb_addf(&t, "Running %s ", plan_kind_word(s->dir));
	run_step_title(g, s, &t);
	db->ops->note(db, sb_str(&t));
	sb_free(&t);
}

/* Runs one step. in_txn: an enclosing transaction is open (single mode):
 * the step neither begins nor commits, and a failure rolls back that
 * transaction, the whole run, before the ledger records the failure.
 *
 * A `Transaction: none` step keeps an intent record: its ledger row is
 * committed with outcome "started" before its first statement, the line
 * of each statement that ran is recorded in it, and the row is completed
 * together with the version table at the end. A process killed in the
 * middle leaves the row started, which the next run reads as interrupted.
 *
 * Signals: one that arrives before a transactional step's COMMIT rolls it
 * back (the running statement is cancelled; between statements, and
 * before the COMMIT, the flag is looked at). Once every statement of a
 * `Transaction: none` step has run, its completion is not cancelled: the
 * step is done, and the ledger must say so. */
/* One step as it runs: what run_step's phases share. */
struct step_run {
	struct db *db;
	const struct plan *p;
	const struct plan_step *s;
	const struct gnode *x;     /* NULL for a stamp to base */
	struct step_sql q;
	bool in_txn, rehearse;
	bool finish_step;          /* run_opts.finish_step */
	bool autocommit;           /* Transaction: none */
	bool intent, no_intent;    /* an intent record is kept; it could not be written */
	bool at_commit;            /* the failure was the COMMIT's */
	uint32_t failed_line;
	struct ledger l;
	struct fk_step fk;
	char hex[65];
	char *dberr;               /* the database's message (owned) */
};

/* Up to the first statement: the ledger row's checksum, SQLite's foreign
 * keys, the intent record, BEGIN, and stamp --purge. */
static int step_open(struct step_run *r)
{
	struct db *db = r->db;
	const struct plan_step *s = r->s;
	int rc = RT_OK;
	if (s->dir != PLAN_STAMP) {
		r->l.row.checksum = r->q.now.hex;
		r->autocommit = r->x->s.txn == SCRIPT_TXN_NONE;
	} else if (r->x) {
		/* A stamp records the file it vouches for. */
		if (script_checksum(&r->x->s, r->hex, NULL) == RT_OK)
			r->l.row.checksum = r->hex;
	}
	if (!r->in_txn && s->dir != PLAN_STAMP)
		rc = fk_enter(db, &r->q, r->autocommit, &r->fk, &r->failed_line, &r->dberr);
	r->intent = r->autocommit && !r->rehearse && db->ops->history_start &&
	            db->ops->exec_noted;
	if (rc == RT_OK && r->intent) {
		r->l.row.outcome = (char *)history_outcome_word(HISTORY_STARTED);
		rc = step_signal(r->finish_step) ? RT_EINTR
		                : db->ops->history_start(db, &r->l.row, &r->l.row.id, &r->dberr);
		r->no_intent = rc != RT_OK;
	}
	if (rc == RT_OK && !r->in_txn && !r->autocommit)
		rc = db->ops->begin(db, &r->dberr);
	if (rc == RT_OK && s->dir == PLAN_STAMP && r->p->purge)
		rc = db->ops->version_purge(db, &r->dberr);
	return rc;
}

/* The statements, each noted in the intent record when there is one. */
static int step_statements(struct step_run *r)
{
	int rc = RT_OK;
	for (uint32_t k = 0; k < r->q.n && rc == RT_OK; k++) {
		uint32_t line = r->q.stmts[k].line;
		if (step_signal(r->finish_step)) {
			/* a signal between two statements: the next one does not start */
			rc = RT_EINTR;
		} else if (r->intent) {
			char *sql = stmt_text(&r->q, k);
			bool ran = false;
			rc = r->db->ops->exec_noted(r->db, sql, r->l.row.id, line,
			                            (now_monotonic() - r->l.t0) * 1000.0, &ran,
			                            &r->dberr);
			free(sql);
			if (ran)
				r->l.row.last_ok_line = line;
		} else {
			rc = exec_stmt(r->db, &r->q, k, &r->dberr);
			if (rc == RT_OK && r->autocommit)
				r->l.row.last_ok_line = line;
		}
		if (rc != RT_OK)
			r->failed_line = line;
	}
	return rc;
}

/* After the statements: the foreign-key check, the version table's change
 * and the ledger row, and the COMMIT. */
static int step_close(struct step_run *r)
{
	struct db *db = r->db;
	const struct plan_step *s = r->s;
	int rc = RT_OK;
	if (r->fk.check)
		rc = db->ops->foreign_key_check(db, &r->dberr);
	if (rc == RT_OK && r->autocommit && !r->in_txn) {
		if (!r->finish_step)
			run_db = NULL;  /* see above: the completion is not cancelled */
		rc = db->ops->begin(db, &r->dberr);
	}
	bool purge = s->dir == PLAN_STAMP && r->p->purge;
	if (rc == RT_OK && db->ops->step_record) {
		/* the version rows and the ledger row in one round trip */
		ledger_finish(&r->l, HISTORY_OK);
		rc = db->ops->step_record(db, (const char *const *)s->del, purge ? 0 : s->ndel,
		                          (const char *const *)s->ins, s->nins, &r->l.row,
		                          &r->dberr);
	} else {
		if (rc == RT_OK)
			rc = apply_version_change(db, s, purge, &r->dberr);
		if (rc == RT_OK) {
			ledger_finish(&r->l, HISTORY_OK);
			rc = db->ops->history_insert(db, &r->l.row, &r->dberr);
		}
	}
	/* the last moment a signal can still undo a transactional step */
	if (rc == RT_OK && !r->in_txn && !r->autocommit && step_signal(r->finish_step))
		rc = RT_EINTR;
	if (rc == RT_OK && !r->in_txn) {
		rc = db->ops->commit(db, &r->dberr);
		r->at_commit = rc != RT_OK;
	}
	return rc;
}

/* A step that failed: rolled back, said where and why, and recorded in
 * the ledger (but in a rehearsal). RT_EINTR after a signal, else
 * RT_EFAIL. */
static int step_failed(struct step_run *r, char **err)
{
	struct db *db = r->db;
	const struct plan_step *s = r->s;
	int sig = step_signal(r->finish_step);
	if (sig) {
		/* the database's own words ("canceling statement due to user
		 * request", "interrupted") follow the cause */
		if (r->dberr && strcmp(r->dberr, "interrupted") == 0) {
			free(r->dberr); /* SQLite's word for it says nothing more */
			r->dberr = NULL;
		}
		char *why = r->dberr ? xasprintf("interrupted by %s (%s)",
		                                 signal_name(sig), r->dberr)
		                     : xasprintf("interrupted by %s", signal_name(sig));
		free(r->dberr);
		r->dberr = why;
	}
	const char *dberr = r->dberr ? r->dberr : "failed";
	const char *path = r->x ? r->x->s.path : "(stamp)";
	/* In single mode this rolls back the whole run, so the database
	 * is where the run started. */
	char *ignored = NULL;
	db->ops->rollback(db, &ignored);
	free(ignored);
	if (r->in_txn)
		r->l.row.heads_before = (char *)r->p->steps[0].heads_before;
	r->l.row.error_line = r->failed_line;
	if (r->failed_line)
		rt_err(err, RT_EFAIL, "%s:%u: %s", path, r->failed_line, dberr);
	else
		rt_err(err, RT_EFAIL, "%s: %s", path, dberr);
	bool partial = r->autocommit && r->l.row.last_ok_line;
	if (r->no_intent && !sig)
		rt_err(err, RT_EFAIL, "%s: Transaction: none — its ledger row could not be "
		       "written before it started, so none of it was run", path);
	else if (partial)
		rt_err(err, RT_EFAIL,
		       "%s: Transaction: none — statements up to line %lld were applied and "
		       "stay; the revision is not recorded as applied",
		       path, (long long)r->l.row.last_ok_line);
	else if (r->autocommit && r->failed_line)
		rt_err(err, RT_EFAIL, "%s: Transaction: none — no statement of it was applied",
		       path);
	if (r->at_commit && db->dialect == SQL_POSTGRES)
		rt_err(err, RT_EFAIL, "%s: the COMMIT itself failed: if the connection was lost "
		       "on the way, check with 'retort current' whether the step was applied",
		       path);
	if (!r->rehearse) {
		char *why = ledger_failure(db, &r->l, dberr);
		if (why)
			rt_err(err, RT_EFAIL, "%s: the ledger could not record this failure: %s",
			       path, why);
		if (why && r->intent && !r->no_intent)
			rt_err(err, RT_EFAIL, "%s: its ledger row stays 'started': the next run "
			       "will take the step for interrupted", path);
		else if (partial)
			rt_err(err, RT_EFAIL, "%s: until the database is put right by hand and "
			       "that is recorded with 'retort resolve %s --applied|--reverted', "
			       "upgrade, downgrade and stamp refuse to run", path, s->rev_id);
		free(why);
	}
	return sig ? RT_EINTR : RT_EFAIL;
}

static int run_step(struct db *db, const struct graph *g, const struct plan *p,
                    uint32_t i, struct step_sql *qs, bool in_txn, bool rehearse,
                    bool finish_step, const struct who *w, char **err)
{
	struct step_run r;
	memset(&r, 0, sizeof r);
	r.db = db;
	r.p = p;
	r.s = &p->steps[i];
	r.x = r.s->rev == PLAN_NO_REV ? NULL : &g->nodes[r.s->rev];
	r.q = qs[i];
	r.in_txn = in_txn;
	r.rehearse = rehearse;
	r.finish_step = finish_step;
	ledger_start(&r.l, r.s, w);
	note_step(db, g, r.s);

	/* a run that finishes its step never touches run_db: runs on other
	 * threads (a fleet's) do the same at once */
	struct db *attached = finish_step ? NULL : run_db;
	int rc = step_open(&r);
	if (rc == RT_OK)
		rc = step_statements(&r);
	if (rc == RT_OK)
		rc = step_close(&r);
	if (!finish_step)
		run_db = attached;
	if (rc != RT_OK)
		rc = step_failed(&r, err);
	free(r.dberr);
	if (r.fk.restore || r.fk.trail) {
		int f = fk_leave(db, &r.q, &r.fk, rc == RT_OK, r.x->s.path, err);
		if (rc == RT_OK)
			rc = f;
	}
	return rc;
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The version table's rows, sorted, space-separated (malloc'd), and the
 * revisions they mean applied (ancestors and dependencies); false with
 * *err when it cannot be read. A row no script defines is kept in the
 * text and makes *unknown true. */
static bool applied_now(struct db *db, const struct graph *g, char **text, struct bitset *set,
                        bool *unknown, char **err)
{
	char **rows = NULL;
	uint32_t n = 0;
	if (db->ops->read_heads(db, &rows, &n, err) != RT_OK)
		return false;
	if (n > 1)
		qsort(rows, n, sizeof(*rows), cmp_strp);
	struct strbuf sb = STRBUF_INIT;
	*unknown = false;
	for (uint32_t i = 0; i < n; i++) {
		sb_addf(&sb, "%s%s", i ? " " : "", rows[i]);
		int32_t x = graph_find(g, rows[i]);
		if (x < 0)
			*unknown = true;
		else if (!bitset_get(set, (uint32_t)x))
			graph_ancestors(g, (uint32_t)x, true, set);
	}
	db_strv_free(rows, n);
	*text = sb_detach(&sb);
	return true;
}

/* The revisions the space-separated ids of heads mean applied. */
static void applied_of(const struct graph *g, const char *heads, struct bitset *set)
{
	for (const char *p = heads; *p;) {
		size_t n = strcspn(p, " ");
		char *id = xstrndup(p, n);
		int32_t x = graph_find(g, id);
		if (x >= 0 && !bitset_get(set, (uint32_t)x))
			graph_ancestors(g, (uint32_t)x, true, set);
		free(id);
		p += n + (p[n] == ' ');
	}
}

static bool same_set(const struct bitset *a, const struct bitset *b)
{
	for (uint32_t i = 0; i < (a->n + 63) / 64; i++)
		if (a->w[i] != b->w[i])
			return false;
	return true;
}

/* A step that the format's tool runs (run_delegate): retort holds the
 * lock, has no transaction open, reads the version table before and
 * after, and records the step in the ledger with the rows it found. */
static int run_delegated_step(struct db *db, const struct graph *g, const struct plan *p,
                              uint32_t i, const struct step_sql *qs,
                              const struct run_opts *o, void *session, const struct who *w,
                              char **err)
{
	const struct plan_step *s = &p->steps[i];
	const struct gnode *x = &g->nodes[s->rev];
	const char *tool = o->delegate->name;
	struct ledger l;
	char *before = NULL, *after = NULL, *toolerr = NULL, *dberr = NULL, *msg = NULL;
	/* The tool reads the file itself, when the step runs (Alembic: when
	 * the run's first step loads the history): it must still be the file
	 * read and checked when the run began. */
	char hex[65];
	char *cerr = NULL;
	if (script_checksum(&x->s, hex, &cerr) != RT_OK) {
		rt_err(err, RT_EFAIL, "%s: %s; %s did not run it: the run stops before this step",
		       x->s.path, cerr ? cerr : "cannot be read", tool);
		free(cerr);
		return RT_EFAIL;
	}
	if (strcmp(hex, qs[i].now.hex) != 0)
		return rt_err(err, RT_EFAIL, "%s changed since the run began (SHA-256 %.12s… then, "
		              "%.12s… now): %s did not run it; the run stops before this step",
		              x->s.path, qs[i].now.hex, hex, tool);
	struct bitset was, now, want;
	bitset_init(&was, g->n);
	bitset_init(&now, g->n);
	bitset_init(&want, g->n);
	bool unknown = false;
	ledger_start(&l, s, w);
	note_step(db, g, s);
	l.row.checksum = (char *)qs[i].now.hex;  /* the file as it was read and checked */
	int rc = RT_OK;
	if (!applied_now(db, g, &before, &was, &unknown, &dberr)) {
		rc = rt_err(err, RT_EDB, "%s", dberr ? dberr : "cannot read the version table");
		goto out;
	}
	l.row.heads_before = before;
	int ran = o->delegate->step(session, g, s, &toolerr);
	if (!applied_now(db, g, &after, &now, &unknown, &dberr)) {
		/* the tool may have done it: say so, and record nothing */
		rc = rt_err(err, RT_EDB, "%s: %s ran the step, but the version table cannot be read "
		            "afterwards (%s); see 'retort current'", x->s.path, tool,
		            dberr ? dberr : "database error");
		goto out;
	}
	applied_of(g, s->heads_after, &want);
	if (ran == RT_OK && !unknown && same_set(&now, &want)) {
		l.row.heads_after = after;
		ledger_finish(&l, HISTORY_OK);
		char *why = ledger_alone(db, &l);
		if (why)
			rc = rt_err(err, RT_EFAIL, "%s: applied, but the ledger could not record it: %s",
			            x->s.path, why);
		free(why);
		goto out;
	}
	if (ran != RT_OK)
		msg = xasprintf("%s failed: %s", tool, toolerr ? toolerr : "no reason given");
	else if (!unknown && same_set(&now, &was))
		msg = xasprintf("%s said it ran the step, but the version table retort reads did not "
		                "change (still %s): %s migrated another database than retort's "
		                "(its sqlalchemy.url or env.py names another one)", tool,
		                *after ? after : "<base>", tool);
	else
		msg = xasprintf("after %s ran the step the version table is %s, where the plan said "
		                "%s; the run stops here", tool, *after ? after : "<base>",
		                *s->heads_after ? s->heads_after : "<base>");
	rc = step_signal(o->finish_step) ? RT_EINTR : RT_EFAIL;
	rt_err(err, RT_EFAIL, "%s: %s", x->s.path, msg);
	/* what the table says now is what the ledger keeps */
	l.row.heads_before = same_set(&now, &was) ? before : after;
	char *why = ledger_failure(db, &l, msg);
	if (why)
		rt_err(err, RT_EFAIL, "%s: the ledger could not record this failure: %s", x->s.path,
		       why);
	free(why);
out:
	free(before);
	free(after);
	free(toolerr);
	free(dberr);
	free(msg);
	bitset_free(&was);
	bitset_free(&now);
	bitset_free(&want);
	return rc;
}

/* The rehearsal: one transaction, always rolled back (DDL is
 * transactional on SQLite and PostgreSQL), so the database ends exactly
 * where it started. */
static int rehearse_plan(struct db *db, const struct graph *g, const struct plan *p,
                         struct step_sql *qs, const struct run_opts *o,
                         const struct who *w, char **err)
{
	char *dberr = NULL;
	int rc = db->ops->begin(db, &dberr);
	if (rc == RT_OK)
		rc = db->ops->ensure_tables(db, &dberr);
	if (rc != RT_OK) {
		rt_err(err, RT_EDB, "%s", dberr ? dberr : "database error");
		free(dberr);
		char *ignored = NULL;
		db->ops->rollback(db, &ignored);
		free(ignored);
		return RT_EDB;
	}
	for (uint32_t i = 0; i < p->n && rc == RT_OK; i++) {
		const struct plan_step *s = &p->steps[i];
		if (run_signal)
			break;
		if (o->on_progress)
			o->on_progress(o->ctx, i, p->n);
		const char *why = NULL;
		if (delegated(g, s))
			why = "not rehearsable: its own tool runs it, in a transaction retort cannot "
			      "roll back";
		else if (s->dir != PLAN_STAMP && g->nodes[s->rev].s.txn == SCRIPT_TXN_NONE)
			why = "Transaction: none — not rehearsable (it cannot run inside a transaction)";
		else if (s->dir != PLAN_STAMP && fk_leads(db, &qs[i]))
			why = "PRAGMA foreign_keys — not rehearsable (SQLite ignores it inside the "
			      "rehearsal's transaction)";
		if (why) {
			rc = rt_err(err, RT_EFAIL, "%s: %s; the rehearsal stopped before it",
			            g->nodes[s->rev].s.path, why);
			if (o->on_step)
				o->on_step(o->ctx, p, i, rc, 0);
			break;
		}
		double t0 = now_monotonic();
		rc = run_step(db, g, p, i, qs, true, true, o->finish_step, w, err);
		if (o->on_step)
			o->on_step(o->ctx, p, i, rc, (now_monotonic() - t0) * 1000.0);
	}
	if (run_signal)
		rc = rt_err(err, RT_EINTR, "rehearsal interrupted by %s; everything was rolled back",
		            signal_name(run_signal));
	if (rc == RT_OK && o->on_progress)
		o->on_progress(o->ctx, p->n, p->n);
	char *ignored = NULL;
	db->ops->rollback(db, &ignored);
	free(ignored);
	free(dberr);
	return rc;
}

/* What an interrupted run leaves behind. i: the step that was running
 * (running) or would have run next; no_txn: that step runs outside a
 * transaction, so it is not rolled back (run_step said what stays). */
static int interrupted(const struct plan *p, uint32_t i, bool single, bool running,
                       bool no_txn, char **err)
{
	const char *sig = signal_name(run_signal);
	uint32_t left = p->n - i - (running ? 1 : 0);
	if (single)
		return rt_err(err, RT_EINTR, "interrupted by %s: transaction_mode = single, so every "
		              "step of this run was rolled back", sig);
	struct strbuf sb = STRBUF_INIT;
	if (running)
		sb_addf(&sb, "interrupted by %s: %s %s", sig, p->steps[i].rev_id,
		        no_txn ? "is not recorded as applied" : "was rolled back");
	else if (i == 0)
		sb_addf(&sb, "interrupted by %s before the first step", sig);
	else
		sb_addf(&sb, "interrupted by %s between two steps", sig);
	if (i)
		sb_addf(&sb, "; the %u step%s before it stay%s applied", i, i == 1 ? "" : "s",
		        i == 1 ? "s" : "");
	if (left)
		sb_addf(&sb, "; %u more step%s not run", left, left == 1 ? " was" : "s were");
	rt_err(err, RT_EINTR, "%s", sb_str(&sb));
	sb_free(&sb);
	return RT_EINTR;
}

static int execute_steps(struct db *db, const struct graph *g, const struct plan *p,
                         struct step_sql *qs, const struct run_opts *o, void *session,
                         const struct who *who, char **err);

/* The plan's steps, with the delegate's session open around them when
 * the tool runs some of them. */
static int execute_plan(struct db *db, const struct graph *g, const struct plan *p,
                        struct step_sql *qs, const struct run_opts *o,
                        const struct who *who, char **err)
{
	void *session = NULL;
	bool any = false;
	for (uint32_t i = 0; i < p->n && o->delegate && !any; i++)
		any = delegated(g, &p->steps[i]);
	if (any)
		session = o->delegate->open ? o->delegate->open(o->delegate->ctx) : o->delegate->ctx;
	int rc = execute_steps(db, g, p, qs, o, session, who, err);
	if (any && o->delegate->open && o->delegate->close)
		o->delegate->close(session);
	return rc;
}

static int execute_steps(struct db *db, const struct graph *g, const struct plan *p,
                         struct step_sql *qs, const struct run_opts *o, void *session,
                         const struct who *who, char **err)
{
	char *dberr = NULL;
	int rc = RT_OK;
	bool single = o->mode == TXN_SINGLE;
	rc = db->ops->ensure_tables(db, &dberr);
	if (rc != RT_OK)
		goto fail;
	if (single && (rc = db->ops->begin(db, &dberr)) != RT_OK)
		goto fail;
	for (uint32_t i = 0; i < p->n; i++) {
		if (run_signal) {
			/* between two steps: nothing is running, nothing to record */
			if (single) {
				char *ignored = NULL;
				db->ops->rollback(db, &ignored);
				free(ignored);
			}
			return interrupted(p, i, single, false, false, err);
		}
		if (o->on_progress)
			o->on_progress(o->ctx, i, p->n);
		double t0 = now_monotonic();
		rc = delegated(g, &p->steps[i]) ? run_delegated_step(db, g, p, i, qs, o, session, who, err)
		                                : run_step(db, g, p, i, qs, single, false,
		                                           o->finish_step, who, err);
		if (o->on_step)
			o->on_step(o->ctx, p, i, rc, (now_monotonic() - t0) * 1000.0);
		if (rc == RT_EINTR)
			return interrupted(p, i, single, true,
			                   p->steps[i].dir != PLAN_STAMP &&
			                       g->nodes[p->steps[i].rev].s.txn == SCRIPT_TXN_NONE,
			                   err);
		if (rc != RT_OK) {
			if (single)
				rt_err(err, RT_EFAIL, "transaction_mode = single: every step of this run "
				       "was rolled back");
			return RT_EFAIL;
		}
	}
	if (single && run_signal) {
		/* before the COMMIT: the whole run is rolled back */
		char *ignored = NULL;
		db->ops->rollback(db, &ignored);
		free(ignored);
		return interrupted(p, p->n, single, false, false, err);
	}
	if (o->on_progress)
		o->on_progress(o->ctx, p->n, p->n);
	if (single && (rc = db->ops->commit(db, &dberr)) != RT_OK)
		goto fail;
	return RT_OK;
fail:
	rt_err(err, rc == RT_OK ? RT_EDB : rc, "%s", dberr ? dberr : "database error");
	free(dberr);
	return run_signal ? RT_EINTR : RT_EDB;
}

enum rt_status run_plan(struct db *db, const struct graph *g, const struct plan *p,
                        const struct run_opts *o, char **err)
{
	return run_plan_skipping(db, g, p, o, NULL, NULL, err);
}

enum rt_status run_plan_skipping(struct db *db, const struct graph *g, const struct plan *p,
                                 const struct run_opts *o, run_skip_fn skip, void *skip_ctx,
                                 char **err)
{
	if (o->mode == TXN_SINGLE && !o->rehearse) {
		for (uint32_t i = 0; i < p->n; i++) {
			const struct plan_step *s = &p->steps[i];
			if (delegated(g, s))
				return rt_err(err, RT_EFAIL,
				    "%s: its own tool runs it, which cannot happen inside the one "
				    "transaction of transaction_mode = single; nothing was run",
				    g->nodes[s->rev].s.path);
			if (s->dir != PLAN_STAMP && g->nodes[s->rev].s.txn == SCRIPT_TXN_NONE)
				return rt_err(err, RT_EFAIL,
				    "%s: 'Transaction: none' cannot run inside the one transaction of "
				    "transaction_mode = single; nothing was run", g->nodes[s->rev].s.path);
		}
	}
	for (uint32_t i = 0; i < p->n && !o->delegate; i++)
		if (delegated(g, &p->steps[i]))
			return rt_err(err, RT_EFAIL, "%s: no tool is given to run this revision's steps; "
			              "nothing was run", g->nodes[p->steps[i].rev].s.path);
	if (p->n == 0)
		return RT_OK;
	struct step_sql *qs = NULL;
	int rc = load_plan_sql(db, g, p, o->expect, &qs, err);
	if (rc != RT_OK)
		return rc;
	rc = fk_refuse(db, g, p, qs, o, err);
	if (rc != RT_OK) {
		plan_sql_free(qs, p->n);
		return rc;
	}
	if (skip)
		skip_stmts(g, p, qs, skip, skip_ctx);
	struct who w;
	who_am_i(&w);
	if (o->rehearse)
		rc = rehearse_plan(db, g, p, qs, o, &w, err);
	else
		rc = execute_plan(db, g, p, qs, o, &w, err);
	plan_sql_free(qs, p->n);
	return rc;
}

enum rt_status run_expect_make(const struct graph *g, const struct plan *p, struct run_expect **out,
                               char **err)
{
	struct run_expect *e = xcalloc(1, sizeof(*e));
	e->steps = xcalloc(p->n + 1, sizeof(*e->steps));
	int rc = RT_OK;
	for (uint32_t i = 0; i < p->n; i++) {
		const struct plan_step *s = &p->steps[i];
		struct run_expect_step *x = &e->steps[i];
		x->dir = s->dir;
		x->rev_id = xstrdup(s->rev_id);
		x->heads_before = xstrdup(s->heads_before);
		x->heads_after = xstrdup(s->heads_after);
		e->n = i + 1;
		if (s->dir == PLAN_STAMP)
			continue;
		struct script_now now;
		int r = script_reread(&g->nodes[s->rev].s, &now, err);
		if (r != RT_OK) {
			rc = r;
			continue;
		}
		memcpy(x->hex, now.hex, sizeof(x->hex));
		script_now_free(&now);
	}
	if (rc != RT_OK) {
		run_expect_free(e);
		return rc;
	}
	*out = e;
	return RT_OK;
}

void run_expect_free(struct run_expect *e)
{
	if (!e)
		return;
	for (uint32_t i = 0; i < e->n; i++) {
		free(e->steps[i].rev_id);
		free(e->steps[i].heads_before);
		free(e->steps[i].heads_after);
	}
	free(e->steps);
	free(e);
}

static void expect_line(struct strbuf *sb, const char *tag, enum plan_kind dir,
                        const char *rev, const char *before, const char *after)
{
	sb_addf(sb, "\n  %s %s %s (version table %s -> %s)", tag, plan_kind_word(dir), rev,
	        *before ? before : "<base>", *after ? after : "<base>");
}

/* RT_OK when p is the plan that was confirmed, else RT_EFAIL with both. */
static int expect_same_plan(const struct run_expect *e, const struct plan *p, char **err)
{
	bool same = e->n == p->n;
	for (uint32_t i = 0; i < p->n && same; i++) {
		const struct run_expect_step *x = &e->steps[i];
		const struct plan_step *s = &p->steps[i];
		same = x->dir == s->dir && strcmp(x->rev_id, s->rev_id) == 0 &&
		       strcmp(x->heads_before, s->heads_before) == 0 &&
		       strcmp(x->heads_after, s->heads_after) == 0;
	}
	if (same)
		return RT_OK;
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "the plan changed after it was shown and confirmed (another process changed "
	        "the version table meanwhile?); nothing was run. Confirmed:");
	for (uint32_t i = 0; i < e->n; i++)
		expect_line(&sb, "-", e->steps[i].dir, e->steps[i].rev_id, e->steps[i].heads_before,
		            e->steps[i].heads_after);
	if (!e->n)
		sb_adds(&sb, "\n  (nothing)");
	sb_adds(&sb, "\nNow:");
	for (uint32_t i = 0; i < p->n; i++)
		expect_line(&sb, "+", p->steps[i].dir, p->steps[i].rev_id, p->steps[i].heads_before,
		            p->steps[i].heads_after);
	if (!p->n)
		sb_adds(&sb, "\n  (nothing)");
	rt_err(err, RT_EFAIL, "%s", sb_str(&sb));
	sb_free(&sb);
	return RT_EFAIL;
}

enum rt_status run_check_open(struct db *db, const struct graph *g, bool locked, char **err)
{
	struct inspect_opens o;
	int rc = inspect_open_steps(db, g, locked, &o, err);
	if (rc != RT_OK || !o.blocking) {
		inspect_opens_free(&o);
		return rc;
	}
	struct strbuf sb = STRBUF_INIT;
	for (uint32_t i = 0; i < o.n; i++) {
		if (o.v[i].state == OPEN_RUNNING)
			continue;
		if (sb.len)
			sb_adds(&sb, "\n");
		inspect_open_describe(&o.v[i], &sb);
		sb_adds(&sb, "\n");
		inspect_open_way_out(&o.v[i], &sb);
	}
	rt_err(err, RT_EFAIL, "%s\nUntil then upgrade, downgrade and stamp refuse to run: "
	       "nothing was run.", sb_str(&sb));
	sb_free(&sb);
	inspect_opens_free(&o);
	return RT_EFAIL;
}

enum rt_status run_locked(struct db *db, const struct graph *g, run_plan_fn fn, void *fnctx,
                          const struct run_opts *o, struct plan **done, char **err)
{
	*done = NULL;
	/* from the wait for the lock to its release, a signal ends the run in
	 * order, never by its default action. A run that finishes its step
	 * leaves both to its caller (a fleet's runs are on several threads,
	 * and no one handle is the one a signal stops). */
	bool own = !o->finish_step;
	if (own) {
		run_signals_catch();
		run_signals_attach(db);
	}
	char *lerr = NULL;
	bool early = run_signal != 0;  /* while connecting, say */
	int rc = early ? RT_EINTR : db->ops->lock(db, &o->lock_wait, &lerr);
	if (rc != RT_OK && run_signal) {
		free(lerr);
		rc = rt_err(err, RT_EINTR, "interrupted by %s %s: nothing was run",
		            signal_name(run_signal),
		            early ? "before the run started" : "while waiting for the migration lock");
	} else if (rc != RT_OK) {
		rt_err(err, rc, "%s", lerr ? lerr : "the migration lock could not be taken");
		free(lerr);
	}
	if (rc != RT_OK) {
		if (own)
			run_signals_release();
		return rc;
	}
	char **heads = NULL;
	uint32_t n = 0;
	struct plan *p = NULL;
	rc = db->ops->read_heads(db, &heads, &n, err);
	/* with the lock held, a started row is one whose process ended */
	if (rc == RT_OK)
		rc = run_check_open(db, g, true, err);
	if (rc == RT_OK)
		rc = fn(fnctx, (const char *const *)heads, n, &p, err);
	if (rc == RT_OK && o->expect && (rc = expect_same_plan(o->expect, p, err)) != RT_OK) {
		plan_free(p);
		p = NULL;
	}
	if (rc == RT_OK) {
		rc = run_plan(db, g, p, o, err);
		*done = p;
	}
	db->ops->unlock(db);
	db_strv_free(heads, n);
	if (own)
		run_signals_release();
	return rc;
}
