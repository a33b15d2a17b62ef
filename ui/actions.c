/* actions.c: what the action keys do, all through the engine. A migration
 * is planned with plan_build and shown step by step with its SQL; once
 * confirmed, run_locked executes it under the migration lock with a plan
 * rebuilt from the heads read there, and refuses when that plan is not the
 * one the user saw. New scripts are written by the command line's own
 * `merge` and `revision` commands. */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "console.h"
#include "policy.h"
#include "run.h"
#include "shell.h"

/* Whether the action can run; says why not in the status line. An action
 * that may_create runs on a SQLite file that does not exist yet, as its
 * command does (upgrade and stamp create it; the plan starts from an empty
 * version table). */
static bool usable(struct console *con, bool need_db, bool may_create)
{
	const struct model *m = &con->m;
	if (!m->g) {
		console_message(con, THEME_ERROR, "The scripts could not be loaded: fix them, then press r");
		return false;
	}
	if (need_db && !m->have_db && !(may_create && m->db_missing)) {
		if (m->db_configured)
			console_message(con, THEME_ERROR, "The database could not be read: %.*s%s",
			                FIRST_LINE(m->db_error));
		else
			console_message(con, THEME_WARNING, "No database configured: the console is "
			                "read-only (use --database URL or retort.ini)");
		return false;
	}
	if (need_db && graph_selected(con) < 0) {
		console_message(con, THEME_WARNING, "No revision to act on");
		return false;
	}
	return true;
}

bool action_confirm_preview(struct console *con, const char *question)
{
	struct view *was = con->focus;
	con->focus = &con->preview;
	console_layout(con);
	bool yes = dialog_confirm(con, question);
	con->focus = was;
	console_layout(con);
	return yes;
}

/* ---- upgrade, downgrade, stamp ---- */

struct migrate {
	struct console *con;
	enum plan_kind kind;
	uint32_t rev;               /* the target */
	const struct plan *shown;   /* the plan the user confirmed */
	const struct run_expect *expect;  /* its fingerprint, checked under the lock */
	uint32_t failed;            /* the failing step, or UINT32_MAX */
	uint32_t ran;               /* steps that completed */
	double ms;
	double expect_timeout;      /* seconds the lock is waited for */
	char *title;
	bool started;               /* the lock was taken, the first step began */
	struct strbuf log;          /* a line per step, as the command line prints it */
	/* What to show once the view has reloaded: a dialog, or NULL. */
	char *report_title, *report;
};

static int build(const struct graph *g, enum plan_kind kind, uint32_t rev,
                 const char *const *heads, uint32_t n, struct plan **out, char **err)
{
	struct revset target = {&rev, 1, false, NULL, 0};
	return plan_build(g, kind, heads, n, &target, false, out, err);
}

static enum rt_status plan_under_lock(void *ctx, const char *const *heads, uint32_t n,
                                      struct plan **out, char **err)
{
	struct migrate *mg = ctx;
	return build(mg->con->m.g, mg->kind, mg->rev, heads, n, out, err);
}

static void on_progress(void *ctx, uint32_t done, uint32_t total)
{
	struct migrate *mg = ctx;
	if (done >= mg->shown->n)
		return;
	struct strbuf label = STRBUF_INIT;
	sb_addf(&label, "%s ", plan_kind_word(mg->shown->steps[done].dir));
	run_step_title(mg->con->m.g, &mg->shown->steps[done], &label);
	mg->started = true;
	dialog_progress(mg->con, mg->title, sb_str(&label), done, total,
	                "Ctrl-C: stop (the running step is rolled back)");
	sb_free(&label);
}

static void on_step(void *ctx, const struct plan *p, uint32_t step, enum rt_status status,
                    double ms)
{
	struct migrate *mg = ctx;
	mg->ms += ms;
	sb_addf(&mg->log, "Running %s ", plan_kind_word(p->steps[step].dir));
	run_step_title(mg->con->m.g, &p->steps[step], &mg->log);
	if (status == RT_OK) {
		sb_addf(&mg->log, " ... done (%.1f ms)\n", ms);
		mg->ran++;
	}
	else
		sb_addf(&mg->log, " ... %s after %.1f ms\n",
		        status == RT_EINTR ? "INTERRUPTED" : "FAILED", ms);
	if (status != RT_OK)
		mg->failed = step;
}

static void report_failure(struct console *con, struct migrate *mg, const char *err)
{
	struct strbuf sb = STRBUF_INIT;
	const struct plan *p = mg->shown;
	if (mg->failed < p->n) {
		sb_addf(&sb, "Step %u of %u failed: %s ", mg->failed + 1, p->n, plan_kind_word(mg->kind));
		run_step_title(con->m.g, &p->steps[mg->failed], &sb);
		sb_addf(&sb, "\n\n%s\n\n", err);
		const struct plan_step *s = &p->steps[mg->failed];
		if (s->dir != PLAN_STAMP && con->m.g->nodes[s->rev].s.txn == SCRIPT_TXN_NONE)
			sb_adds(&sb, "The script runs outside a transaction (Transaction: none): its "
			        "statements before the failing one stay done; the ledger names the "
			        "last one that succeeded.");
		else if (con->c->cfg.transaction_mode == TXN_SINGLE)
			sb_adds(&sb, "The whole run was one transaction: it was rolled back.");
		else if (mg->failed == 0)
			sb_adds(&sb, "It was rolled back: the database is as it was.");
		else
			sb_addf(&sb, "It was rolled back; the %u step%s before it stay%s applied.",
			        mg->failed, mg->failed == 1 ? "" : "s", mg->failed == 1 ? "s" : "");
	} else {
		sb_adds(&sb, err);
	}
	mg->report_title = xasprintf("The %s failed", plan_kind_word(mg->kind));
	mg->report = sb_detach(&sb);
}

/* A run stopped by Ctrl-C (or a signal): what the command line prints,
 * the steps that ran then the engine's summary of what stays applied. */
static void report_interrupted(struct migrate *mg, const struct plan *done, const char *err)
{
	struct strbuf sb = STRBUF_INIT;
	uint32_t ran = mg->ran;
	uint32_t total = done ? done->n : mg->shown->n;
	sb_addf(&sb, "Stopped after %u of %u step%s.\n\n%s\n\n", ran, total, total == 1 ? "" : "s",
	        err);
	sb_adds(&sb, sb_str(&mg->log));
	sb_adds(&sb, "\nWhole migrations only: each step either committed or was rolled back. "
	        "The console shows the database as it is now.");
	mg->report_title = xasprintf("The %s was interrupted", plan_kind_word(mg->kind));
	mg->report = sb_detach(&sb);
}

/* The migration lock is held by someone else: a box that says who, for
 * how long; Esc or Ctrl-C cancel. */
static bool on_lock_wait(void *ctx, double elapsed, const char *holder)
{
	struct migrate *mg = ctx;
	return dialog_wait(mg->con, mg->title, "the migration lock", holder, elapsed,
	                   mg->expect_timeout);
}

static void execute(struct console *con, struct migrate *mg)
{
	struct cli_ctx *c = con->c;
	mg->expect_timeout = cli_lock_timeout(c);
	struct run_opts o = {
		.mode = c->cfg.transaction_mode,
		.lock_wait = {mg->expect_timeout, on_lock_wait, NULL, mg},
		.on_step = on_step, .on_progress = on_progress, .ctx = mg, .expect = mg->expect,
		.delegate = cli_delegate(c),
	};
	dialog_progress(con, mg->title, "Taking the migration lock...", 0, mg->shown->n,
	                "Esc or Ctrl-C: cancel");
	struct plan *done = NULL;
	char *err = NULL;
	/* a database file that did not exist is created now, when confirmed */
	int rc = cli_db(c, &err);
	console_interrupted();
	if (rc == RT_OK)
		rc = run_locked(c->db, con->m.g, plan_under_lock, mg, &o, &done, &err);
	/* the engine raises a SIGINT it caught again, for the console: seen */
	console_interrupted();
	const char *why = err ? err : rt_status_text(rc);
	if (rc == RT_OK)
		console_message(con, THEME_APPLIED, "%s %s to %s: %u step%s in %.1f ms",
		                plan_kind_done(mg->kind), c->url.dbname, con->m.g->nodes[mg->rev].s.rev,
		                done ? done->n : 0, done && done->n == 1 ? "" : "s", mg->ms);
	else if (rc == RT_EINTR && !mg->started)
		console_message(con, THEME_WARNING, "%c%s", toupper((unsigned char)why[0]), why + 1);
	else if (rc == RT_EINTR)
		report_interrupted(mg, done, why);
	else
		report_failure(con, mg, why);
	free(err);
	plan_free(done);
}

/* When a plan is empty, what is true: where the database is, and whether
 * the selected revision is applied. */
static void nothing_to_do(struct console *con, enum plan_kind kind, uint32_t rev)
{
	const struct model *m = &con->m;
	char *at = model_current_text(m);
	const char *id = m->g->nodes[rev].s.rev;
	bool applied = bitset_get(&m->applied, rev), current = bitset_get(&m->current, rev);
	if (kind == PLAN_UPGRADE && applied)
		console_message(con, THEME_NORMAL, "Nothing to upgrade: %s is %s (the database is at "
		                "%s)", id, current ? "current" : "already applied", at);
	else if (kind == PLAN_DOWNGRADE && current)
		console_message(con, THEME_NORMAL, "Nothing to downgrade: nothing applied comes after "
		                "%s (the database is at %s)", id, at);
	else
		console_message(con, THEME_NORMAL, "Nothing to %s: the version table would stay as it "
		                "is (the database is at %s)", plan_kind_word(kind), at);
	free(at);
}

static void migrate(struct console *con, enum plan_kind kind)
{
	struct model *m = &con->m;
	struct cli_ctx *c = con->c;
	bool create = !m->have_db && m->db_missing && kind != PLAN_DOWNGRADE;
	if (!usable(con, true, create))
		return;
	if (m->opens.blocking) {
		/* the engine would refuse: say why before showing a plan */
		struct strbuf sb = STRBUF_INIT;
		for (uint32_t i = 0; i < m->opens.n; i++) {
			if (m->opens.v[i].state == OPEN_RUNNING)
				continue;
			inspect_open_describe(&m->opens.v[i], &sb);
			sb_adds(&sb, "\n\n");
			inspect_open_way_out(&m->opens.v[i], &sb);
			sb_adds(&sb, "\n\n");
		}
		sb_adds(&sb, "Until then upgrade, downgrade and stamp refuse to run.");
		char *title = xasprintf("Cannot %s: a step was left half done", plan_kind_word(kind));
		dialog_message(con, title, sb_str(&sb), THEME_ERROR);
		free(title);
		sb_free(&sb);
		return;
	}
	uint32_t rev = (uint32_t)graph_selected(con);
	const char *id = m->g->nodes[rev].s.rev;
	struct plan *p = NULL;
	char *err = NULL;
	int rc = build(m->g, kind, rev, (const char *const *)m->vrows, m->nvrows, &p, &err);
	if (rc != RT_OK) {
		char *title = xasprintf("Cannot %s to %s", plan_kind_word(kind), id);
		dialog_message(con, title, err ? err : rt_status_text(rc), THEME_ERROR);
		free(title);
		free(err);
		return;
	}
	if (p->n == 0) {
		nothing_to_do(con, kind, rev);
		plan_free(p);
		return;
	}
	struct run_expect *expect = NULL;
	rc = run_expect_make(m->g, p, &expect, &err);
	if (rc != RT_OK) {
		char *title = xasprintf("Cannot %s to %s", plan_kind_word(kind), id);
		dialog_message(con, title, err ? err : rt_status_text(rc), THEME_ERROR);
		free(title);
		free(err);
		plan_free(p);
		return;
	}
	/* What the plan's SQL does, and whether production mode asks for the
	 * database's name: the engine's policy, as on the command line. */
	struct lint_findings f;
	lint_findings_init(&f);
	enum sql_dialect dialect = c->url.backend == DB_POSTGRES ? SQL_POSTGRES : SQL_SQLITE;
	if (policy_findings(m->g, p, dialect, &f, &err) != RT_OK) {
		console_message(con, THEME_WARNING, "lint: %.*s%s", FIRST_LINE(err));
		free(err);
		err = NULL;
	}
	unsigned reasons = policy_check(&c->cfg, m->g, p, &f);
	struct strbuf why = STRBUF_INIT;
	policy_describe(reasons, &why);
	char *summary = xasprintf("%s %s (%s%s) to %s: %u step%s", plan_kind_title(kind),
	                          c->url.dbname, c->url.display,
	                          create ? ", a new file" : "", id, p->n, p->n == 1 ? "" : "s");
	char *tab = xasprintf("Plan: %s to %.12s", plan_kind_word(kind), id);
	preview_show_plan(con, tab, summary, p, &f, reasons ? sb_str(&why) : NULL);
	char *question = xasprintf("%s. Run %s? [y/N]  j/k: scroll the plan", summary,
	                           p->n == 1 ? "it" : "them");
	bool yes = action_confirm_preview(con, question);
	if (yes && reasons) {
		char *text = xasprintf("This is a production database: production = true asks for "
		                       "its name before %s. Type its name, %s, to %s it:",
		                       sb_str(&why), c->url.dbname, plan_kind_word(kind));
		yes = dialog_typed(con, "Production database", text, c->url.dbname);
		free(text);
		if (!yes && !con->message)
			console_message(con, THEME_NORMAL, "Cancelled: nothing was done");
	} else if (!yes) {
		console_message(con, THEME_NORMAL, "Cancelled: nothing was done");
	}
	struct migrate mg = {.con = con, .kind = kind, .rev = rev, .shown = p, .expect = expect,
	                     .failed = UINT32_MAX};
	sb_init(&mg.log);
	if (yes) {
		mg.title = xasprintf("%s %s to %s", plan_kind_title(kind), c->url.dbname, id);
		execute(con, &mg);
	}
	preview_set_mode(con, con->last_mode);
	if (yes)
		console_reload(con, NULL);
	/* over the view as it is now */
	if (mg.report)
		dialog_message(con, mg.report_title, mg.report, THEME_ERROR);
	free(mg.title);
	free(mg.report_title);
	free(mg.report);
	sb_free(&mg.log);
	free(question);
	free(tab);
	free(summary);
	run_expect_free(expect);
	sb_free(&why);
	lint_findings_free(&f);
	plan_free(p);
}

/* ---- scripts: merge and revision, through the commands' own calls ---- */

/* Runs one command line of the command table with its output captured
 * (for what has no call of its own: the fleet's commands). */
enum rt_status action_run_captured(struct console *con, char **argv, int argc, char **out,
                                   char **errs)
{
	struct cli_ctx *c = con->c;
	size_t nout, nerr;
	*out = *errs = NULL;
	FILE *fo = open_memstream(out, &nout), *fe = open_memstream(errs, &nerr);
	if (!fo || !fe) {
		if (fo)
			fclose(fo);
		if (fe)
			fclose(fe);
		/* whatever a stream that did open left: the caller reads both */
		free(*out);
		free(*errs);
		*out = xstrdup("");
		*errs = xstrdup("cannot capture the command's output");
		return RT_EFAIL;
	}
	FILE *saved_out = c->out, *saved_err = c->errf;
	c->out = fo;
	c->errf = fe;
	enum rt_status rc = cli_run(c, argc, argv);
	c->out = saved_out;
	c->errf = saved_err;
	fclose(fo);
	fclose(fe);
	return rc;
}

/* What writes one: cli_write_revision or cli_write_merge on a request. */
typedef int write_fn(struct cli_ctx *c, const void *req, struct cli_written *out, char **err);

static int write_revision(struct cli_ctx *c, const void *req, struct cli_written *out,
                          char **err)
{
	return cli_write_revision(c, req, out, err);
}

static int write_merge(struct cli_ctx *c, const void *req, struct cli_written *out, char **err)
{
	return cli_write_merge(c, req, out, err);
}

/* Shows what will be written, asks, writes it and reloads on the new
 * revision. busy: the title of a box shown while it is written
 * (autogenerate takes seconds), then the new script's upgrade is shown. */
static void write_script(struct console *con, const char *what, const char *text,
                         write_fn *write, const void *req, const char *busy)
{
	char *tab = xasprintf("Plan: write a %s", what);
	preview_show_text(con, tab, text);
	free(tab);
	char *question = xasprintf("Write the %s? [y/N]", what);
	bool yes = action_confirm_preview(con, question);
	free(question);
	if (!yes) {
		console_message(con, THEME_NORMAL, "Cancelled: nothing was written");
		preview_set_mode(con, con->last_mode);
		return;
	}
	if (busy)
		dialog_progress(con, busy, "Running it...", 0, 1, NULL);
	struct cli_written w = {0};
	char *err = NULL;
	int rc = cli_graph(con->c, &err);
	if (rc == RT_OK)
		rc = write(con->c, req, &w, &err);
	preview_set_mode(con, con->last_mode);
	if (rc == RT_OK) {
		console_reload(con, NULL);
		/* the path as the command writes it, the graph's as the
		 * configuration spells its folders: the same file */
		char *written = realpath(w.path, NULL);
		for (uint32_t i = 0; written && con->m.g && i < con->m.g->nheads; i++) {
			char *head = realpath(con->m.g->nodes[con->m.g->heads[i]].s.path, NULL);
			if (head && strcmp(head, written) == 0) {
				graph_select_rev(con, con->m.g->heads[i]);
				if (busy)
					preview_set_mode(con, PREVIEW_UPGRADE);
			}
			free(head);
		}
		free(written);
		/* what autogenerate found, or that it found nothing */
		const char *said = sb_str(&w.notes);
		while (*said == '\n')
			said++;
		if (busy && *said)
			console_message(con, THEME_APPLIED, "Wrote %s: %.*s%s", w.path, FIRST_LINE(said));
		else
			console_message(con, THEME_APPLIED, "Wrote %s (e opens it in your editor)", w.path);
	} else {
		char *title = xasprintf("The %s was not written", what);
		dialog_message(con, title, err && *err ? err : "the command failed", THEME_ERROR);
		free(title);
	}
	cli_written_free(&w);
	free(err);
}

/* A revision's short name for a message: its own label, or its id. */
static const char *short_name(const struct gnode *x)
{
	return x->s.nlabels ? x->s.labels[0] : x->s.rev;
}

static void merge(struct console *con)
{
	if (!usable(con, false, false))
		return;
	const struct model *m = &con->m;
	const struct graph *g = m->g;
	struct u32vec heads = {0};
	for (uint32_t i = 0; i < g->nheads; i++)
		if (bitset_get(&m->selected, g->heads[i]))
			u32vec_push(&heads, g->heads[i]);
	if (heads.n == 1) {
		console_message(con, THEME_WARNING, "Select two heads or more with Space, or none to "
		                "merge them all");
		u32vec_free(&heads);
		return;
	}
	bool all = heads.n == 0;
	for (uint32_t i = 0; all && i < g->nheads; i++)
		u32vec_push(&heads, g->heads[i]);
	if (heads.n < 2) {
		console_message(con, THEME_NORMAL, "There is one head: nothing to merge");
		u32vec_free(&heads);
		return;
	}
	struct strbuf initial = STRBUF_INIT, text = STRBUF_INIT;
	sb_adds(&initial, "Merge ");
	sb_adds(&text, "A merge revision joining:\n");
	const char **revs = xcalloc(heads.n + 1, sizeof(*revs));
	for (uint32_t i = 0; i < heads.n; i++) {
		const struct gnode *x = &g->nodes[heads.v[i]];
		sb_addf(&initial, "%s%s", i == 0 ? "" : i + 1 == heads.n ? " and " : ", ", short_name(x));
		sb_addf(&text, "  %s  %s\n", x->s.rev, x->s.message);
		revs[i] = x->s.rev;
	}
	char *label = xasprintf("Message for the merge revision of %u heads:", heads.n);
	char *msg = dialog_prompt(con, "Merge heads", label, sb_str(&initial), &con->text_hist);
	if (msg) {
		sb_addf(&text, "\nMessage: %s\nDirectory: %s\n\nIt has no SQL of its own: upgrade to it "
		        "afterwards with u.\n", msg, g->dir);
		struct cli_merge req = {0};
		req.specs = revs;
		req.nspecs = (int)heads.n;
		req.message = msg;
		write_script(con, "merge revision", sb_str(&text), write_merge, &req, NULL);
	} else {
		console_message(con, THEME_NORMAL, "Cancelled: nothing was written");
	}
	free(msg);
	free(label);
	free(revs);
	sb_free(&initial);
	sb_free(&text);
	u32vec_free(&heads);
}

/* c: a new revision on the selected head, its sections empty; A (autogen):
 * one whose SQL autogenerate writes (Alembic's, from the project's models,
 * in an Alembic project; retort's, from retort.ini's schema, otherwise),
 * then shown in the preview. */
static void new_revision(struct console *con, bool autogen)
{
	if (!usable(con, false, false))
		return;
	const struct graph *g = con->m.g;
	const struct cli_ctx *c = con->c;
	bool alembic = cli_alembic(c);
	if (autogen && !alembic && !c->cfg.schema) {
		console_message(con, THEME_WARNING, "A writes what autogenerate finds: declare the "
		                "target schema (schema = FILE in retort.ini), or use c for an empty "
		                "revision");
		return;
	}
	int64_t sel = graph_selected(con);
	if (sel >= 0 && !model_is_head(&con->m, (uint32_t)sel)) {
		console_message(con, THEME_WARNING, "%c writes a revision on a head, and %s is not one "
		                "(use :revision --splice to branch off it)", autogen ? 'A' : 'c',
		                g->nodes[sel].s.rev);
		return;
	}
	char *label = sel >= 0 ? xasprintf("Message for the new revision on top of %s (%s):",
	                                   g->nodes[sel].s.rev, g->nodes[sel].s.message)
	                       : xstrdup("Message for the first revision:");
	char *msg = dialog_prompt(con, autogen ? "Autogenerate a revision" : "New revision", label,
	                          NULL, &con->text_hist);
	const char *on = sel >= 0 ? g->nodes[sel].s.rev : "<base>";
	if (msg && *msg) {
		char *text;
		if (!autogen)
			text = xasprintf("A new revision script\n\nOn top of: %s\nMessage: %s\n"
			                 "Directory: %s\n\nIts upgrade and downgrade sections start "
			                 "empty: edit the file, then upgrade with u.\n", on, msg, g->dir);
		else if (alembic)
			text = xasprintf("A new revision written by Alembic's autogenerate\n\nOn top of: "
			                 "%s\nMessage: %s\n\nAlembic compares the project's models "
			                 "(target_metadata in env.py) with the database env.py connects "
			                 "to, which must be at the head, and writes the operations that "
			                 "bring one to the other. retort's ledger table is left out. The "
			                 "new script is shown once written: review it before u.\n", on, msg);
		else
			text = xasprintf("A new revision written by autogenerate\n\nOn top of: %s\n"
			                 "Message: %s\n\nretort compares the schema the migrations make "
			                 "up to %s with %s and writes the SQL that brings one to the other, "
			                 "and back. The new script is shown once written: review it "
			                 "before u.\n", on, msg, on, c->cfg.schema);
		struct cli_revision req = {0};
		req.message = msg;
		req.head = sel >= 0 ? g->nodes[sel].s.rev : NULL;
		req.autogenerate = autogen;
		write_script(con, "revision", text, write_revision, &req,
		             autogen ? (alembic ? "Alembic's autogenerate" : "Autogenerate") : NULL);
		free(text);
	} else {
		console_message(con, THEME_NORMAL, msg ? "A revision needs a message: nothing was written"
		                                       : "Cancelled: nothing was written");
	}
	free(msg);
	free(label);
}

/* ---- programs that need the plain terminal ---- */

static void wait_enter(int status)
{
	printf("\n[exit status %d] Press Enter to return to the console.", status);
	fflush(stdout);
	for (int ch = getchar(); ch != EOF && ch != '\n' && ch != '\r'; ch = getchar())
		;
}

static void command_line(struct console *con)
{
	struct cli_ctx *c = con->c;
	char *prompt = xasprintf("retort(%s)> ", c->url_loaded ? c->url.dbname : "scripts");
	console_suspend(con);
	int status = shell_once(c, prompt);
	if (status >= 0)
		wait_enter(status);
	console_resume(con);
	console_reload(con, NULL);
	free(prompt);
}

static void rollback(struct console *con)
{
	if (!usable(con, true, false))
		return;
	const struct model *m = &con->m;
	uint32_t rev = (uint32_t)graph_selected(con);
	const char *id = m->g->nodes[rev].s.rev;
	if (!bitset_get(&m->applied, rev) || bitset_get(&m->current, rev)) {
		char *at = model_current_text(m);
		if (bitset_get(&m->current, rev))
			console_message(con, THEME_WARNING, "Nothing to roll back: %s is current (the "
			                "database is at %s)", id, at);
		else
			console_message(con, THEME_WARNING, "Nothing to roll back to: %s is not applied "
			                "(the database is at %s)", id, at);
		free(at);
		return;
	}
	rollback_guided(con, rev);
}

/* ---- the editor ---- */

/* The file a load error begins with ("path:line: …"), if it exists. */
static char *error_file(const char *error)
{
	size_t n = strcspn(error, ":\n");
	if (!error[n] || error[n] != ':')
		return NULL;
	char *path = xstrndup(error, n);
	if (access(path, F_OK) != 0) {
		free(path);
		return NULL;
	}
	return path;
}

/* Runs the editor on path: its words (split at blanks, as in "code
 * --wait"; no shell ever runs), then the path. Returns its exit status
 * (127 when it could not start). The console ignores Ctrl-C meanwhile: it
 * belongs to the editor. */
static int run_editor(const char *editor, const char *path)
{
	char *words = xstrdup(editor);
	size_t cap = strlen(editor) / 2 + 3, n = 0;
	char **argv = xcalloc(cap, sizeof(*argv));
	for (char *save = NULL, *w = strtok_r(words, " \t", &save); w;
	     w = strtok_r(NULL, " \t", &save))
		argv[n++] = w;
	argv[n++] = (char *)path;
	struct sigaction ign, old_int, old_quit;
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid_t pid = n > 1 ? fork() : -1;
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		execvp(argv[0], argv);
		_exit(127);
	}
	int status = 127;
	if (pid > 0) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	free(argv);
	free(words);
	return status;
}

static void edit(struct console *con)
{
	const struct model *m = &con->m;
	char *path = NULL;
	int64_t sel = m->g ? graph_selected(con) : -1;
	if (sel >= 0)
		path = xstrdup(m->g->nodes[sel].s.path);
	else if (m->graph_error)
		path = error_file(m->graph_error);
	if (!path) {
		console_message(con, THEME_WARNING, m->g ? "No revision to edit: c writes the first one"
		                                         : "No file to edit named in the error");
		return;
	}
	const char *editor = getenv("VISUAL");
	if (!editor || !*editor)
		editor = getenv("EDITOR");
	if (!editor || !*editor)
		editor = "vi";
	console_suspend(con);
	int status = run_editor(editor, path);
	console_resume(con);
	console_reload(con, NULL);
	if (status != 0)
		console_message(con, THEME_WARNING, "The editor (%s) ended with status %d%s", editor,
		                status, status == 127 ? ": set VISUAL or EDITOR" : "");
	else if (con->m.graph_error)
		console_message(con, THEME_ERROR, "%s: edited, but the scripts could not be loaded: "
		                "%.*s%s", path, FIRST_LINE(con->m.graph_error));
	else
		console_message(con, THEME_NORMAL, "Edited %s; the view is reloaded", path);
	free(path);
}

/* ---- waiting for a database another process writes ---- */

static bool on_busy_wait(void *ctx, double elapsed, const char *holder)
{
	struct console *con = ctx;
	return dialog_wait(con, "Waiting for the database",
	                   holder ? "the database, which a migration is writing"
	                          : "the database, which another connection is writing",
	                   holder, elapsed, con->busy.timeout);
}

void action_busy_wait(struct console *con)
{
	con->busy = (struct db_wait){cli_lock_timeout(con->c), on_busy_wait, NULL, con};
	con->c->busy_wait = &con->busy;
}

void action_run(struct console *con, enum request r)
{
	switch (r) {
	case REQ_UPGRADE:
		migrate(con, PLAN_UPGRADE);
		break;
	case REQ_DOWNGRADE:
		migrate(con, PLAN_DOWNGRADE);
		break;
	case REQ_STAMP:
		migrate(con, PLAN_STAMP);
		break;
	case REQ_SELECT:
		graph_ops.request(&con->graph, r);
		break;
	case REQ_MERGE:
		merge(con);
		break;
	case REQ_REVISION:
		new_revision(con, false);
		break;
	case REQ_AUTOGENERATE:
		new_revision(con, true);
		break;
	case REQ_ROLLBACK:
		rollback(con);
		break;
	case REQ_EDIT:
		edit(con);
		break;
	case REQ_FLEET:
		fleet_view(con);
		break;
	case REQ_COMMAND:
		command_line(con);
		break;
	default:
		break;
	}
}
