/* actions.c: what the action keys do, all through the engine. A migration
 * is planned with plan_build and shown step by step with its SQL; once
 * confirmed, run_locked executes it under the migration lock with a plan
 * rebuilt from the heads read there, and refuses when that plan is not the
 * one the user saw. New scripts are written by the command line's own
 * `merge` and `revision` commands. */
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "policy.h"
#include "run.h"
#include "shell.h"

static const char *const verbs[] = {"upgrade", "downgrade", "stamp"};
static const char *const titles[] = {"Upgrade", "Downgrade", "Stamp"};
static const char *const done_verbs[] = {"Upgraded", "Downgraded", "Stamped"};

/* Whether the action can run; says why not in the status line. */
static bool usable(struct console *con, bool need_db)
{
	const struct model *m = &con->m;
	if (!m->g) {
		console_message(con, THEME_ERROR, "The scripts could not be loaded: fix them, then press r");
		return false;
	}
	if (need_db && !m->have_db) {
		if (m->db_configured)
			console_message(con, THEME_ERROR, "The database could not be read: %.*s",
			                (int)strcspn(m->db_error, "\n"), m->db_error);
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

/* Asks y/N about what the preview shows, with the preview focused so that
 * the moving keys scroll it (and, on a short terminal, so that it shows). */
static bool confirm_preview(struct console *con, const char *question)
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
	double ms;
	char *title;
};

static int build(const struct graph *g, enum plan_kind kind, uint32_t rev,
                 const char *const *heads, uint32_t n, struct plan **out, char **err)
{
	struct revset target = {&rev, 1, false, NULL, 0};
	return plan_build(g, kind, heads, n, &target, false, out, err);
}

static int plan_under_lock(void *ctx, const char *const *heads, uint32_t n,
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
	sb_addf(&label, "%s ", verbs[mg->shown->steps[done].dir]);
	run_step_title(mg->con->m.g, &mg->shown->steps[done], &label);
	dialog_progress(mg->con, mg->title, sb_str(&label), done, total);
	sb_free(&label);
}

static void on_step(void *ctx, const struct plan *p, uint32_t step, int status, double ms)
{
	struct migrate *mg = ctx;
	mg->ms += ms;
	if (status != RT_OK)
		mg->failed = step;
}

static void report_failure(struct console *con, struct migrate *mg, const char *err)
{
	struct strbuf sb = STRBUF_INIT;
	const struct plan *p = mg->shown;
	if (mg->failed < p->n) {
		sb_addf(&sb, "Step %u of %u failed: %s ", mg->failed + 1, p->n, verbs[mg->kind]);
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
	char *title = xasprintf("The %s failed", verbs[mg->kind]);
	dialog_message(con, title, sb_str(&sb), THEME_ERROR);
	free(title);
	sb_free(&sb);
}

static void execute(struct console *con, struct migrate *mg)
{
	struct cli_ctx *c = con->c;
	struct run_opts o = {
		.mode = c->cfg.transaction_mode,
		.lock_timeout = c->lock_timeout >= 0 ? c->lock_timeout : c->cfg.lock_timeout,
		.on_step = on_step, .on_progress = on_progress, .ctx = mg, .expect = mg->expect,
		.delegate = cli_delegate(c),
	};
	dialog_progress(con, mg->title, "Taking the migration lock...", 0, mg->shown->n);
	struct plan *done = NULL;
	char *err = NULL;
	int rc = run_locked(c->db, con->m.g, plan_under_lock, mg, &o, &done, &err);
	if (rc == RT_OK)
		console_message(con, THEME_APPLIED, "%s %s to %s: %u step%s in %.1f ms",
		                done_verbs[mg->kind], c->url.dbname, con->m.g->nodes[mg->rev].s.rev,
		                done ? done->n : 0, done && done->n == 1 ? "" : "s", mg->ms);
	else
		report_failure(con, mg, err ? err : rt_status_text(rc));
	free(err);
	plan_free(done);
}

static void migrate(struct console *con, enum plan_kind kind)
{
	if (!usable(con, true))
		return;
	struct model *m = &con->m;
	struct cli_ctx *c = con->c;
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
		char *title = xasprintf("Cannot %s: a step was left half done", verbs[kind]);
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
		char *title = xasprintf("Cannot %s to %s", verbs[kind], id);
		dialog_message(con, title, err ? err : rt_status_text(rc), THEME_ERROR);
		free(title);
		free(err);
		return;
	}
	if (p->n == 0) {
		console_message(con, THEME_NORMAL, "Nothing to %s: the database is already there",
		                verbs[kind]);
		plan_free(p);
		return;
	}
	struct run_expect *expect = NULL;
	rc = run_expect_make(m->g, p, &expect, &err);
	if (rc != RT_OK) {
		char *title = xasprintf("Cannot %s to %s", verbs[kind], id);
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
		console_message(con, THEME_WARNING, "lint: %.*s", (int)strcspn(err, "\n"), err);
		free(err);
		err = NULL;
	}
	unsigned reasons = policy_check(&c->cfg, m->g, p, &f);
	struct strbuf why = STRBUF_INIT;
	policy_describe(reasons, &why);
	char *summary = xasprintf("%s %s (%s) to %s: %u step%s", titles[kind], c->url.dbname,
	                          c->url.display, id, p->n, p->n == 1 ? "" : "s");
	char *tab = xasprintf("Plan: %s to %.12s", verbs[kind], id);
	preview_show_plan(con, tab, summary, p, &f, reasons ? sb_str(&why) : NULL);
	char *question = xasprintf("%s. Run %s? [y/N]  j/k: scroll the plan", summary,
	                           p->n == 1 ? "it" : "them");
	bool yes = confirm_preview(con, question);
	if (yes && reasons) {
		char *text = xasprintf("This is a production database: production = true asks for "
		                       "its name before %s. Type its name, %s, to %s it:",
		                       sb_str(&why), c->url.dbname, verbs[kind]);
		yes = dialog_typed(con, "Production database", text, c->url.dbname);
		free(text);
		if (!yes && !con->message)
			console_message(con, THEME_NORMAL, "Cancelled: nothing was done");
	} else if (!yes) {
		console_message(con, THEME_NORMAL, "Cancelled: nothing was done");
	}
	if (yes) {
		char *title = xasprintf("%s %s to %s", titles[kind], c->url.dbname, id);
		struct migrate mg = {con, kind, rev, p, expect, UINT32_MAX, 0, title};
		execute(con, &mg);
		free(title);
	}
	preview_set_mode(con, con->last_mode);
	if (yes)
		console_reload(con, NULL);
	free(question);
	free(tab);
	free(summary);
	run_expect_free(expect);
	sb_free(&why);
	lint_findings_free(&f);
	plan_free(p);
}

/* ---- scripts: merge and revision, through the command table ---- */

/* Runs one command line of the command table with its output captured. */
static int run_captured(struct console *con, char **argv, int argc, char **out, char **errs)
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
		*errs = xstrdup("cannot capture the command's output");
		return 1;
	}
	FILE *saved_out = c->out, *saved_err = c->errf;
	c->out = fo;
	c->errf = fe;
	int rc = cli_run(c, argc, argv);
	c->out = saved_out;
	c->errf = saved_err;
	fclose(fo);
	fclose(fe);
	return rc;
}

/* Shows what will be written, asks, runs the command and reloads on the
 * new revision. */
static void write_script(struct console *con, const char *what, const char *text,
                         char **argv, int argc)
{
	char *tab = xasprintf("Plan: write a %s", what);
	preview_show_text(con, tab, text);
	free(tab);
	char *question = xasprintf("Write the %s? [y/N]", what);
	bool yes = confirm_preview(con, question);
	free(question);
	if (!yes) {
		console_message(con, THEME_NORMAL, "Cancelled: nothing was written");
		preview_set_mode(con, con->last_mode);
		return;
	}
	char *out, *errs;
	int rc = run_captured(con, argv, argc, &out, &errs);
	preview_set_mode(con, con->last_mode);
	out[strcspn(out, "\n")] = '\0';
	if (rc == 0) {
		console_reload(con, NULL);
		console_message(con, THEME_APPLIED, "Wrote %s", out);
		for (uint32_t i = 0; con->m.g && i < con->m.g->nheads; i++)
			if (strcmp(con->m.g->nodes[con->m.g->heads[i]].s.path, out) == 0)
				graph_select_rev(con, con->m.g->heads[i]);
	} else {
		char *title = xasprintf("The %s was not written", what);
		dialog_message(con, title, *errs ? errs : "the command failed", THEME_ERROR);
		free(title);
	}
	free(out);
	free(errs);
}

/* A revision's short name for a message: its own label, or its id. */
static const char *short_name(const struct gnode *x)
{
	return x->s.nlabels ? x->s.labels[0] : x->s.rev;
}

static void merge(struct console *con)
{
	if (!usable(con, false))
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
	char **argv = xcalloc(heads.n + 4, sizeof(*argv));
	int argc = 0;
	argv[argc++] = (char *)"merge";
	argv[argc++] = (char *)"-m";
	argc++;  /* the message, once typed */
	for (uint32_t i = 0; i < heads.n; i++) {
		const struct gnode *x = &g->nodes[heads.v[i]];
		sb_addf(&initial, "%s%s", i == 0 ? "" : i + 1 == heads.n ? " and " : ", ", short_name(x));
		sb_addf(&text, "  %s  %s\n", x->s.rev, x->s.message);
		argv[argc++] = (char *)x->s.rev;
	}
	char *label = xasprintf("Message for the merge revision of %u heads:", heads.n);
	char *msg = dialog_prompt(con, "Merge heads", label, sb_str(&initial), &con->text_hist);
	if (msg) {
		sb_addf(&text, "\nMessage: %s\nDirectory: %s\n\nIt has no SQL of its own: upgrade to it "
		        "afterwards with u.\n", msg, g->dir);
		argv[2] = msg;
		write_script(con, "merge revision", sb_str(&text), argv, argc);
	} else {
		console_message(con, THEME_NORMAL, "Cancelled: nothing was written");
	}
	free(msg);
	free(label);
	free(argv);
	sb_free(&initial);
	sb_free(&text);
	u32vec_free(&heads);
}

static void new_revision(struct console *con)
{
	if (!usable(con, false))
		return;
	const struct graph *g = con->m.g;
	int64_t sel = graph_selected(con);
	if (sel >= 0 && !model_is_head(&con->m, (uint32_t)sel)) {
		console_message(con, THEME_WARNING, "c writes a revision on a head, and %s is not one "
		                "(use :revision --splice to branch off it)", g->nodes[sel].s.rev);
		return;
	}
	char *label = sel >= 0 ? xasprintf("Message for the new revision on top of %s (%s):",
	                                   g->nodes[sel].s.rev, g->nodes[sel].s.message)
	                       : xstrdup("Message for the first revision:");
	char *msg = dialog_prompt(con, "New revision", label, NULL, &con->text_hist);
	if (msg && *msg) {
		char *text = xasprintf("A new revision script\n\nOn top of: %s\nMessage: %s\n"
		                       "Directory: %s\n\nIts upgrade and downgrade sections start "
		                       "empty: edit the file, then upgrade with u.\n",
		                       sel >= 0 ? g->nodes[sel].s.rev : "<base>", msg, g->dir);
		char *argv[] = {(char *)"revision", (char *)"-m", msg, (char *)"--head",
		                sel >= 0 ? (char *)g->nodes[sel].s.rev : NULL, NULL};
		write_script(con, "revision", text, argv, sel >= 0 ? 5 : 3);
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
	if (!cli_find("rollback")) {
		console_message(con, THEME_WARNING, "The guided rollback is not in this build: "
		                "d downgrades to the selected revision");
		return;
	}
	if (!usable(con, true))
		return;
	char *argv[] = {(char *)"rollback", (char *)con->m.g->nodes[graph_selected(con)].s.rev, NULL};
	console_suspend(con);
	wait_enter(cli_run(con->c, 2, argv));
	console_resume(con);
	console_reload(con, NULL);
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
		new_revision(con);
		break;
	case REQ_ROLLBACK:
		rollback(con);
		break;
	case REQ_COMMAND:
		command_line(con);
		break;
	default:
		break;
	}
}
