/* rollback.c: the guided rollback (R) in the console's own dialogs, never
 * leaving curses: a full-screen review of the engine's proposal
 * (rollback.h: steps with their downgrade SQL, findings, the rows at
 * stake, the version table before and after), then a backup, a
 * rehearsal, the confirmation (the typed name in production mode), the
 * run and its result. Each phase is a row of a table; Esc in any of them
 * before the run cancels, and nothing has changed then. What runs is the
 * proposal's plan: its fingerprint goes to run_locked, which refuses a
 * plan that changed since the review. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backup.h"
#include "console.h"
#include "policy.h"
#include "rollback.h"
#include "run.h"

struct guided {
	struct console *con;
	struct cli_ctx *c;
	uint32_t rev;              /* the target */
	struct rollback *r;
	char *title;
	/* what happened so far, for the later boxes and the result */
	char *backup_path;
	long long backup_size;
	bool rehearsed;
	double rehearse_ms;
	/* the run in progress */
	bool rehearsing;
	uint32_t failed;           /* the failing step, or UINT32_MAX */
	double ms;                 /* the steps' own time */
	struct plan *done;
	char *err;                 /* why the last phase failed */
	char *why;                 /* the question production mode asks, or NULL */
};

enum outcome { GO_ON, CANCELLED, FAILED };

static enum rt_status plan_to(void *ctx, const char *const *heads, uint32_t n,
                              struct plan **out, char **err)
{
	struct guided *gd = ctx;
	struct revset target = {&gd->rev, 1, false, NULL, 0};
	return plan_build(gd->con->m.g, PLAN_DOWNGRADE, heads, n, &target, false, out, err);
}

static void add_heads(struct doc *d, const char *lead, const char *const *v, uint32_t n)
{
	doc_addf(d, THEME_HEADING, "%s", lead);
	doc_add(d, THEME_NORMAL, " ");
	for (uint32_t i = 0; i < n; i++)
		doc_addf(d, THEME_ID, "%s%s", i ? " " : "", v[i]);
	doc_add(d, THEME_NORMAL, n ? "\n" : "<base>\n");
}

static void add_stakes(struct doc *d, const struct rollback *r, int width)
{
	if (!r->nstakes)
		return;
	doc_add(d, THEME_HEADING, "Data at stake (counted now)\n");
	for (uint32_t i = 0; i < r->nstakes; i++) {
		const struct rollback_stake *s = &r->stakes[i];
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "  step %u  %s%s%s (%s): ", s->step + 1, s->table, s->column ? "." : "",
		        s->column ? s->column : "", lint_rules[r->findings.v[s->finding].rule].id);
		rollback_stake_words(s, &sb);
		doc_add_wrapped(d, THEME_ERROR, sb_str(&sb), width);
		sb_free(&sb);
	}
	doc_add(d, THEME_NORMAL, "\n");
}

/* ---- the review ---- */

static void build_review(struct console *con, struct doc *d, int width, void *ctx)
{
	struct guided *gd = ctx;
	const struct rollback *r = gd->r;
	const struct plan *p = r->plan;
	const struct graph *g = con->m.g;
	char *head = xasprintf("Roll back %s (%s) to %s: %u step%s, %u destroy%s data",
	                       gd->c->url.dbname, gd->c->url.display, g->nodes[gd->rev].s.rev, p->n,
	                       p->n == 1 ? "" : "s", r->destructive_steps,
	                       r->destructive_steps == 1 ? "s" : "");
	doc_add_wrapped(d, THEME_HEADING, head, width);
	doc_add(d, THEME_NORMAL, "\n");
	free(head);
	add_heads(d, "Version table now:  ", r->heads, r->nheads);
	add_heads(d, "Version table after:", p->final_heads, p->nfinal);
	doc_add(d, THEME_NORMAL, "\n");
	if (gd->why) {
		doc_add_wrapped(d, THEME_PRODUCTION, gd->why, width);
		doc_add(d, THEME_NORMAL, "\n");
	}
	add_stakes(d, r, width);
	doc_add(d, THEME_HEADING, r->findings.n ? "What lint finds, worst first\n"
	                                        : "Lint finds nothing destructive\n");
	for (uint32_t i = 0; i < r->findings.n; i++) {
		const struct lint_finding *f = &r->findings.v[i];
		char *line = xasprintf("  %s:%u: %s: %s: %s", f->file, f->line,
		                       lint_severity_name(f->severity), lint_rules[f->rule].id,
		                       f->message);
		doc_add_wrapped(d, f->severity == LINT_ERROR ? THEME_ERROR : THEME_WARNING, line, width);
		free(line);
	}
	doc_add(d, THEME_NORMAL, "\n");
	doc_add(d, THEME_HEADING, "Steps, in the order they run\n");
	for (uint32_t i = 0; i < p->n; i++) {
		bool loss = rollback_step_destructive(r, i);
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "%u. downgrade ", i + 1);
		run_step_title(g, &p->steps[i], &sb);
		if (loss)
			sb_adds(&sb, "  [destroys data]");
		doc_add_wrapped(d, loss ? THEME_ERROR : THEME_APPLIED, sb_str(&sb), width);
		sb_free(&sb);
		preview_add_section(con, d, p->steps[i].rev, SCRIPT_DOWNGRADE);
		doc_add(d, THEME_NORMAL, "\n");
	}
}

static enum outcome review(struct guided *gd)
{
	int key = dialog_page(gd->con, gd->title, THEME_HEADING, true, build_review, gd, "\ny",
	                      "Enter: continue  Esc: cancel");
	return key ? GO_ON : CANCELLED;
}

/* ---- questions ---- */

struct question {
	struct guided *gd;
	const char *text;
};

/* What happened so far, above each question. */
static void add_so_far(struct doc *d, const struct guided *gd, int width)
{
	if (gd->backup_path) {
		char *t = xasprintf("Backup written to %s (%lld bytes) and verified.", gd->backup_path,
		                    gd->backup_size);
		doc_add_wrapped(d, THEME_APPLIED, t, width);
		free(t);
	}
	if (gd->rehearsed) {
		char *t = xasprintf("Rehearsal passed: every step ran and was rolled back "
		                    "(%u step%s, %.1f ms).", gd->r->plan->n,
		                    gd->r->plan->n == 1 ? "" : "s", gd->rehearse_ms);
		doc_add_wrapped(d, THEME_APPLIED, t, width);
		free(t);
	}
	if (gd->backup_path || gd->rehearsed)
		doc_add(d, THEME_NORMAL, "\n");
}

static void build_question(struct console *con, struct doc *d, int width, void *ctx)
{
	(void)con;
	const struct question *q = ctx;
	add_so_far(d, q->gd, width);
	doc_add_wrapped(d, THEME_NORMAL, q->text, width);
}

/* 'y', 'n' (Enter: deflt), or 0 when cancelled. */
static int ask(struct guided *gd, const char *text, int deflt)
{
	struct question q = {gd, text};
	int key = dialog_page(gd->con, gd->title, THEME_WARNING, false, build_question, &q, "\nyn",
	                      deflt == 'y' ? "y/Enter: yes  n: no  Esc: cancel"
	                                   : "y: yes  n/Enter: no  Esc: cancel");
	return key == '\n' ? deflt : key;
}

/* ---- backup ---- */

static void backup_progress(void *ctx, double fraction)
{
	struct guided *gd = ctx;
	dialog_progress(gd->con, gd->title, "Backing up the database (verified when written)...",
	                (uint32_t)(fraction * 100), 100, NULL);
}

static enum outcome backup(struct guided *gd)
{
	int a = ask(gd, "Back up the database first? A consistent copy is written to the "
	            "current directory and verified (it opens, and its version table matches).",
	            'y');
	if (a != 'y')
		return a ? GO_ON : CANCELLED;
	struct cli_ctx *c = gd->c;
	struct db_wait w = cli_lock_wait(c);
	backup_progress(gd, 0);
	int rc = backup_run(c->db, &c->url, cli_version_table(c), &w, NULL, backup_progress, gd,
	                    &gd->backup_path, &gd->err);
	console_interrupted();
	if (rc != RT_OK)
		return FAILED;
	struct stat st;
	gd->backup_size = stat(gd->backup_path, &st) == 0 ? (long long)st.st_size : -1;
	return GO_ON;
}

/* ---- rehearsal and run ---- */

static void on_progress(void *ctx, uint32_t done, uint32_t total)
{
	struct guided *gd = ctx;
	const struct plan *p = gd->r->plan;
	if (done >= p->n)
		return;
	struct strbuf label = STRBUF_INIT;
	sb_addf(&label, "%s step %u of %u: ", gd->rehearsing ? "Rehearsing" : "Running", done + 1,
	        total);
	run_step_title(gd->con->m.g, &p->steps[done], &label);
	dialog_progress(gd->con, gd->title, sb_str(&label), done, total,
	                gd->rehearsing ? "Ctrl-C: stop (all is rolled back)"
	                               : "Ctrl-C: stop (the running step is rolled back)");
	sb_free(&label);
}

static void on_step(void *ctx, const struct plan *p, uint32_t step, enum rt_status status,
                    double ms)
{
	(void)p;
	struct guided *gd = ctx;
	gd->ms += ms;
	if (status != RT_OK)
		gd->failed = step;
}

static bool on_lock_wait(void *ctx, double elapsed, const char *holder)
{
	struct guided *gd = ctx;
	return dialog_wait(gd->con, gd->title, "the migration lock", holder, elapsed,
	                   cli_lock_timeout(gd->c));
}

static int run(struct guided *gd, bool rehearse)
{
	struct cli_ctx *c = gd->c;
	struct run_opts o = {
		.mode = c->cfg.transaction_mode,
		.lock_wait = {cli_lock_timeout(c), on_lock_wait, NULL, gd},
		.on_step = on_step, .on_progress = on_progress, .ctx = gd,
		.rehearse = rehearse, .expect = gd->r->expect, .delegate = cli_delegate(c),
	};
	gd->rehearsing = rehearse;
	gd->failed = UINT32_MAX;
	gd->ms = 0;
	dialog_progress(gd->con, gd->title, "Taking the migration lock...", 0, gd->r->plan->n,
	                "Esc or Ctrl-C: cancel");
	plan_free(gd->done);
	gd->done = NULL;
	console_interrupted();
	int rc = run_locked(c->db, gd->con->m.g, plan_to, gd, &o, &gd->done, &gd->err);
	/* the engine raises a SIGINT it caught again, for the console: seen */
	console_interrupted();
	return rc;
}

static enum outcome rehearse(struct guided *gd)
{
	int a = ask(gd, "Rehearse the rollback first? Every step runs in one transaction, which "
	            "is then rolled back whatever happens: a failing statement shows here, "
	            "before anything changes.", 'y');
	if (a != 'y')
		return a ? GO_ON : CANCELLED;
	double t0 = now_monotonic();
	if (run(gd, true) != RT_OK)
		return FAILED;
	gd->rehearsed = true;
	gd->rehearse_ms = (now_monotonic() - t0) * 1000.0;
	return GO_ON;
}

static enum outcome confirm(struct guided *gd)
{
	struct cli_ctx *c = gd->c;
	const struct rollback *r = gd->r;
	int64_t rows = 0;
	for (uint32_t i = 0; i < r->nstakes; i++)
		rows += r->stakes[i].rows > 0 ? r->stakes[i].rows : 0;
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "Roll back %s to %s now? %u step%s run; %u destroy%s data", c->url.dbname,
	        gd->con->m.g->nodes[gd->rev].s.rev, r->plan->n, r->plan->n == 1 ? "" : "s",
	        r->destructive_steps, r->destructive_steps == 1 ? "s" : "");
	if (r->nstakes)
		sb_addf(&sb, " (%lld row%s counted)", (long long)rows, rows == 1 ? "" : "s");
	sb_adds(&sb, ".");
	enum outcome out;
	if (r->reasons) {
		sb_addf(&sb, "\n\n%s\n\nType its name, %s, to roll back:", gd->why, c->url.dbname);
		char *typed = dialog_prompt(gd->con, "Production database", sb_str(&sb), NULL, NULL);
		out = typed ? GO_ON : CANCELLED;
		if (typed && !policy_name_ok(typed, c->url.dbname)) {
			gd->err = xasprintf("'%s' is not '%s'", typed, c->url.dbname);
			out = FAILED;
		}
		free(typed);
	} else {
		int a = ask(gd, sb_str(&sb), 'n');
		out = a == 'y' ? GO_ON : CANCELLED;
	}
	sb_free(&sb);
	return out;
}

static enum outcome execute(struct guided *gd)
{
	double t0 = now_monotonic();
	int rc = run(gd, false);
	gd->rehearse_ms = (now_monotonic() - t0) * 1000.0;  /* now the run's */
	return rc == RT_OK ? GO_ON : FAILED;
}

/* ---- the phases ---- */

static const struct phase {
	const char *name;          /* "at the %s" */
	enum outcome (*run)(struct guided *gd);
	bool changes;              /* a failure here may have changed the database */
} phases[] = {
	{"review", review, false},
	{"backup", backup, false},
	{"rehearsal", rehearse, false},
	{"confirmation", confirm, false},
	{"run", execute, true},
};

/* ---- the result ---- */

static void build_result(struct console *con, struct doc *d, int width, void *ctx)
{
	struct guided *gd = ctx;
	struct cli_ctx *c = gd->c;
	const struct plan *done = gd->done;
	doc_addf(d, THEME_APPLIED, "Rolled back %s to %s: %u step%s in %.1f ms.\n\n", c->url.dbname,
	         con->m.g->nodes[gd->rev].s.rev, done ? done->n : 0,
	         done && done->n == 1 ? "" : "s", gd->rehearse_ms);
	char **now = NULL;
	uint32_t n = 0;
	char *err = NULL;
	if (c->db->ops->read_heads(c->db, &now, &n, &err) == RT_OK)
		add_heads(d, "Version table now:", (const char *const *)now, n);
	db_strv_free(now, n);
	free(err);
	err = NULL;
	struct history_row *rows = NULL;
	uint32_t nrows = 0;
	if (done && c->db->ops->history_read(c->db, NULL, &rows, &nrows, &err) == RT_OK &&
	    nrows >= done->n) {
		doc_add(d, THEME_HEADING, "\nLedger rows of this rollback\n");
		for (uint32_t i = nrows - done->n; i < nrows; i++)
			doc_addf(d, THEME_NORMAL, "  #%lld  %s  %-9s %-12s %-6s %8.1f ms\n",
			         (long long)rows[i].id, rows[i].started_at, rows[i].direction,
			         rows[i].revision, rows[i].outcome, rows[i].duration_ms);
	}
	db_history_free(rows, nrows);
	free(err);
	doc_add(d, THEME_NORMAL, "\n");
	if (gd->backup_path) {
		char *hint = backup_restore_hint(&c->url, gd->backup_path);
		char *t = xasprintf("The backup taken before: %s (%lld bytes). %s", gd->backup_path,
		                    gd->backup_size, hint);
		doc_add_wrapped(d, THEME_NORMAL, t, width);
		free(t);
		free(hint);
	} else {
		doc_add(d, THEME_NORMAL, "No backup was taken.\n");
	}
}

/* Why the phase failed, and what that changed: nothing before the run. */
static void report_failure(struct guided *gd, const struct phase *ph)
{
	struct strbuf sb = STRBUF_INIT;
	const struct plan *p = gd->done ? gd->done : gd->r->plan;
	const char *err = gd->err ? gd->err : "it failed";
	if (gd->failed < p->n) {
		sb_addf(&sb, "Step %u of %u failed: downgrade ", gd->failed + 1, p->n);
		run_step_title(gd->con->m.g, &p->steps[gd->failed], &sb);
		sb_addf(&sb, "\n\n%s\n\n", err);
	} else {
		sb_addf(&sb, "%s\n\n", err);
	}
	if (!ph->changes)
		sb_addf(&sb, "%s: nothing changed.", gd->rehearsing && ph->run == rehearse
		        ? "The rehearsal was rolled back" : "The rollback stopped");
	else if (gd->failed >= p->n)
		sb_adds(&sb, "No step of the rollback ran: the database is as the refusal found it.");
	else if (gd->failed > 0 && gd->c->cfg.transaction_mode != TXN_SINGLE)
		sb_addf(&sb, "That step was rolled back; the %u step%s before it stay%s rolled back.",
		        gd->failed, gd->failed == 1 ? "" : "s", gd->failed == 1 ? "s" : "");
	else
		sb_adds(&sb, "It was rolled back: the database is as it was.");
	if (gd->backup_path) {
		char *hint = backup_restore_hint(&gd->c->url, gd->backup_path);
		sb_addf(&sb, "\n\nThe backup taken before: %s\n%s", gd->backup_path, hint);
		free(hint);
	}
	char *title = xasprintf("The rollback's %s failed", ph->name);
	dialog_message(gd->con, title, sb_str(&sb), THEME_ERROR);
	free(title);
	sb_free(&sb);
}

void rollback_guided(struct console *con, uint32_t rev)
{
	struct cli_ctx *c = con->c;
	struct guided gd = {.con = con, .c = c, .rev = rev, .failed = UINT32_MAX};
	/* the graph goes with the reload at the end: a copy */
	char *id = xstrdup(con->m.g->nodes[rev].s.rev);
	int rc = cli_db_read(c, &gd.err);
	double limit = 5;
	if (c->statement_timeout > 0 && c->statement_timeout < limit)
		limit = c->statement_timeout;
	struct rollback_opts o = {id, plan_to, &gd,
	                          c->url.backend == DB_POSTGRES ? SQL_POSTGRES : SQL_SQLITE, limit,
	                          c->statement_timeout};
	if (rc == RT_OK)
		rc = rollback_propose(c->db, con->m.g, &c->cfg, &o, &gd.r, &gd.err);
	if (rc != RT_OK) {
		char *title = xasprintf("Cannot roll back to %s", id);
		dialog_message(con, title, gd.err ? gd.err : rt_status_text(rc), THEME_ERROR);
		free(title);
		free(gd.err);
		free(id);
		return;
	}
	if (gd.r->plan->n == 0) {
		console_message(con, THEME_WARNING, "Nothing to roll back: nothing applied comes after %s",
		                id);
		rollback_free(gd.r);
		free(id);
		return;
	}
	gd.title = xasprintf("Rollback of %s to %.12s", c->url.dbname, id);
	if (gd.r->reasons) {
		struct strbuf why = STRBUF_INIT;
		policy_describe(gd.r->reasons, &why);
		gd.why = xasprintf("This is a production database: production = true asks for its "
		                   "name before %s.", sb_str(&why));
		sb_free(&why);
	}
	const struct phase *at = NULL;
	enum outcome out = GO_ON;
	for (size_t i = 0; i < RT_ARRAY_LEN(phases) && out == GO_ON; i++) {
		at = &phases[i];
		out = at->run(&gd);
	}
	/* The result and the failure are told before the reload, which
	 * replaces the graph their plans borrow from. */
	if (out == GO_ON)
		dialog_page(con, gd.title, THEME_APPLIED, true, build_result, &gd, "\n",
		            "Enter: close");
	else if (out == FAILED)
		report_failure(&gd, at);
	if (out == GO_ON || (out == FAILED && at->changes))
		console_reload(con, NULL);
	if (out == GO_ON) {
		console_message(con, THEME_APPLIED, "Rolled back %s to %s", c->url.dbname, id);
	} else if (out == CANCELLED) {
		console_message(con, THEME_NORMAL, "Rollback cancelled at the %s: nothing changed%s%s%s",
		                at->name, gd.backup_path ? " (the backup " : "",
		                gd.backup_path ? gd.backup_path : "", gd.backup_path ? " stays)" : "");
	} else {
		if (!at->changes)
			console_message(con, THEME_WARNING, "Not rolled back (the %s failed): nothing "
			                "changed", at->name);
	}
	plan_free(gd.done);
	free(gd.err);
	free(gd.why);
	free(gd.title);
	free(gd.backup_path);
	rollback_free(gd.r);
	free(id);
}
