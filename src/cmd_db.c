/* cmd_db.c: commands that use the database: current, upgrade, downgrade,
 * stamp, check, repair, lock, backup, history --applied. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alembic.h"
#include "backup.h"
#include "cli.h"
#include "db.h"
#include "inspect.h"
#include "lint.h"
#include "out.h"
#include "plan.h"
#include "policy.h"
#include "progress.h"
#include "rollback.h"
#include "run.h"
#include "schema.h"
#include "spec.h"

static const struct cmd_opt no_opts[] = {{NULL, 0, NULL, NULL}};

static int open_db(struct cli_ctx *c, char **err)
{
	int rc = cli_db(c, err);
	return rc;
}

/* ---- the plan, built under the lock ---- */

struct target {
	struct cli_ctx *c;
	enum plan_kind kind;
	const char *const *specs;
	int nspecs;
	bool purge;
	bool dry_run, rehearse;    /* --dry-run, --rehearse */
	struct cli_confirm confirm;
};

/* Resolves the target specs against the given heads and builds the plan. */
static enum rt_status build_plan(void *ctx, const char *const *heads, uint32_t nheads,
                                 struct plan **out, char **err)
{
	struct target *t = ctx;
	const struct graph *g = t->c->graph;
	uint32_t *idx = xmalloc((nheads + 1) * sizeof(*idx));
	uint32_t known = 0;
	int rc = RT_OK;
	for (uint32_t i = 0; i < nheads; i++) {
		int32_t x = graph_find(g, heads[i]);
		if (x >= 0)
			idx[known++] = (uint32_t)x;
		else if (t->kind != PLAN_STAMP)
			rc = rt_err(err, RT_EINPUT,
			    "the database is at revision '%s', which no script defines; "
			    "see 'retort check', or 'retort stamp --purge'", heads[i]);
	}
	struct spec_ctx sc = {g, idx, known, true};
	struct revset target = {0};
	struct u32vec all = {0};
	for (int i = 0; i < t->nspecs && rc == RT_OK; i++) {
		struct revset r;
		rc = spec_resolve(&sc, t->specs[i], &r, err);
		if (rc == RT_OK && t->nspecs == 1) {
			target = r;  /* keeps below and roots */
			break;
		}
		for (uint32_t k = 0; rc == RT_OK && k < r.n; k++)
			if (!u32vec_contains(&all, r.v[k]))
				u32vec_push(&all, r.v[k]);
		revset_free(&r);
	}
	if (rc == RT_OK) {
		if (t->nspecs != 1) {
			target.v = all.v;
			target.n = all.n;
			all.v = NULL;
		}
		rc = plan_build(g, t->kind, heads, nheads, &target, t->purge, out, err);
	}
	revset_free(&target);
	u32vec_free(&all);
	free(idx);
	return rc;
}

/* ---- output of a run ---- */

struct progress {
	struct cli_ctx *c;
	struct progress_line line;  /* the bar on standard error (progress.h) */
	bool rehearse;
};

static void progress_of(struct progress *pr, struct cli_ctx *c, const char *what,
                        bool rehearse)
{
	pr->c = c;
	pr->rehearse = rehearse;
	progress_init(&pr->line, c, what);
}

static void on_progress(void *ctx, uint32_t done, uint32_t total)
{
	struct progress *pr = ctx;
	if (total == 0)
		return;
	if (done == total)
		progress_clear(&pr->line);
	else
		progress_update(&pr->line, done, total, NULL);
}

static void on_step(void *ctx, const struct plan *p, uint32_t i, enum rt_status status,
                    double ms)
{
	struct progress *pr = ctx;
	/* with --json, standard output carries the JSON alone */
	if (pr->c->json || (pr->c->quiet && status == RT_OK))
		return;
	progress_clear(&pr->line);
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s %s ", pr->rehearse ? "Rehearsing" : "Running",
	        plan_kind_word(p->steps[i].dir));
	run_step_title(pr->c->graph, &p->steps[i], &sb);
	if (status == RT_OK)
		sb_addf(&sb, " ... done (%.1f ms)\n", ms);
	else
		sb_addf(&sb, " ... FAILED after %.1f ms\n", ms);
	fputs(sb_str(&sb), pr->c->out);
	fflush(pr->c->out);
	sb_free(&sb);
}

static void print_plan(struct cli_ctx *c, const struct plan *p)
{
	struct strbuf sb = STRBUF_INIT;
	if (c->json) {
		sb_addf(&sb, "{\"kind\":\"%s\",\"steps\":[", plan_kind_word(p->kind));
		for (uint32_t i = 0; i < p->n; i++) {
			const struct plan_step *s = &p->steps[i];
			sb_addf(&sb, "%s{\"direction\":\"%s\",\"revision\":", i ? "," : "",
			        plan_kind_word(s->dir));
			sb_add_json_str(&sb, s->rev_id);
			sb_adds(&sb, ",\"heads_before\":");
			sb_add_json_str(&sb, s->heads_before);
			sb_adds(&sb, ",\"heads_after\":");
			sb_add_json_str(&sb, s->heads_after);
			sb_adds(&sb, "}");
		}
		sb_adds(&sb, "],\"final_heads\":[");
		for (uint32_t i = 0; i < p->nfinal; i++) {
			if (i)
				sb_addc(&sb, ',');
			sb_add_json_str(&sb, p->final_heads[i]);
		}
		sb_adds(&sb, "]}\n");
	} else {
		for (uint32_t i = 0; i < p->n; i++) {
			sb_addf(&sb, "Would run %s ", plan_kind_word(p->steps[i].dir));
			run_step_title(c->graph, &p->steps[i], &sb);
			sb_addc(&sb, '\n');
		}
		if (p->n == 0)
			sb_adds(&sb, "Nothing to do: the database is already there.\n");
		sb_adds(&sb, "Version table afterwards:");
		for (uint32_t i = 0; i < p->nfinal; i++)
			sb_addf(&sb, " %s", p->final_heads[i]);
		sb_adds(&sb, p->nfinal ? "\n" : " <base>\n");
	}
	fputs(sb_str(&sb), c->out);
	sb_free(&sb);
}

/* --sql on an Alembic project: Alembic's offline mode renders the range
 * (`alembic upgrade A:B --sql`). Without Alembic, each step of p is shown
 * as its Python source, in SQL comments, and the error says why. */
static int alembic_offline(struct cli_ctx *c, enum plan_kind kind, const char *arg,
                           const struct plan *p, char **err)
{
	const char *args[] = {plan_kind_word(kind), arg, "--sql", NULL};
	struct alembic_result r;
	int rc = alembic_exec(&c->cfg.alembic, args, NULL, NULL, &r, err);
	if (rc == RT_OK) {
		fputs(r.out, c->out);
		if (r.status != 0) {
			fputs(r.errtext, c->errf);
			rc = rt_err(err, RT_EFAIL, "alembic %s %s --sql exited with status %d", args[0],
			            arg, r.status);
		}
		alembic_result_free(&r);
		return rc;
	}
	const struct graph *g = c->graph;
	for (uint32_t i = 0; i < p->n; i++) {
		const struct plan_step *s = &p->steps[i];
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "-- Running %s ", plan_kind_word(s->dir));
		run_step_title(g, s, &sb);
		sb_adds(&sb, "\n");
		char *src = NULL;
		char *e = NULL;
		if (script_read_sql(&g->nodes[s->rev].s, plan_kind_section(s->dir), &src, &e) ==
		    RT_OK) {
			for (const char *l = src; *l;) {
				size_t n = strcspn(l, "\n");
				sb_addf(&sb, "-- %.*s\n", (int)n, l);
				l += n + (l[n] == '\n');
			}
		}
		free(e);
		free(src);
		sb_adds(&sb, "\n");
		fputs(sb_str(&sb), c->out);
		sb_free(&sb);
	}
	return rt_err(err, RT_EFAIL, "the Python source of each step is shown instead of its SQL");
}

/* --sql: render the plan for the range's start without connecting. */
static int offline_sql(struct cli_ctx *c, struct target *t, const char *arg)
{
	char *err = NULL;
	const struct graph *g = c->graph;
	const char *colon = strchr(arg, ':');
	char **start = NULL;
	uint32_t nstart = 0;
	int rc = RT_OK;
	if (t->kind == PLAN_DOWNGRADE && (!colon || colon == arg))
		return cli_report(c, RT_EUSAGE, xstrdup(
		    "downgrade --sql needs the starting revision: retort downgrade --sql FROM:TO"));
	if (colon && colon > arg) {
		char *from = xstrndup(arg, (size_t)(colon - arg));
		struct spec_ctx sc = {g, NULL, 0, false};
		struct revset r;
		rc = spec_resolve(&sc, from, &r, &err);
		free(from);
		if (rc != RT_OK)
			return cli_report(c, rc, err);
		start = xcalloc(r.n + 1, sizeof(*start));
		for (uint32_t i = 0; i < r.n; i++)
			start[nstart++] = xstrdup(g->nodes[r.v[i]].s.rev);
		revset_free(&r);
	}
	const char *to = colon ? colon + 1 : arg;
	if (!*to)
		to = t->kind == PLAN_UPGRADE ? "heads" : "base";
	t->specs = &to;
	t->nspecs = 1;

	/* The configured database's dialect; SQLite when none is configured.
	 * A URL that is given but cannot be read is an error, not SQLite. */
	enum sql_dialect dialect = SQL_SQLITE;
	rc = cli_url(c, &err);
	if (rc == RT_EUSAGE) {
		free(err);
		err = NULL;
		rc = RT_OK;
	} else if (rc == RT_OK && c->url.backend == DB_POSTGRES) {
		dialect = SQL_POSTGRES;
	}
	if (rc != RT_OK) {
		db_strv_free(start, nstart);
		return cli_report(c, rc, err);
	}

	struct db *w = NULL;
	struct plan *p = NULL;
	rc = db_sqlwriter_open(c->out, dialect, cli_version_table(c),
	                       (const char *const *)start, nstart, &w);
	if (rc == RT_OK) {
		char **heads;
		uint32_t n;
		rc = w->ops->read_heads(w, &heads, &n, &err);
		if (rc == RT_OK) {
			rc = build_plan(t, (const char *const *)heads, n, &p, &err);
			db_strv_free(heads, n);
		}
	}
	if (rc == RT_OK && cli_alembic(c) && t->kind != PLAN_STAMP) {
		rc = alembic_offline(c, t->kind, arg, p, &err);
	} else if (rc == RT_OK) {
		struct run_opts o = {.mode = c->cfg.transaction_mode};
		rc = run_plan(w, g, p, &o, &err);
	}
	plan_free(p);
	if (w)
		db_close(w);
	db_strv_free(start, nstart);
	return cli_report(c, rc, err);
}

/* ---- production mode (policy.h) ---- */

static enum sql_dialect db_dialect(const struct cli_ctx *c)
{
	return c->url.backend == DB_POSTGRES ? SQL_POSTGRES : SQL_SQLITE;
}

static void print_sql_of(struct cli_ctx *c, const struct plan_step *s);

/* "LEAD: N steps, version table afterwards: …", then one line per step
 * and, with sql, the SQL each runs. */
static void print_steps(struct cli_ctx *c, const char *lead, const struct plan *p, bool sql)
{
	fprintf(c->out, "%s: %u step%s, version table afterwards:", lead, p->n,
	        p->n == 1 ? "" : "s");
	for (uint32_t i = 0; i < p->nfinal; i++)
		fprintf(c->out, " %s", p->final_heads[i]);
	fprintf(c->out, "%s\n", p->nfinal ? "" : " <base>");
	for (uint32_t i = 0; i < p->n; i++) {
		struct strbuf sb = STRBUF_INIT;
		run_step_title(c->graph, &p->steps[i], &sb);
		fprintf(c->out, "  %u. %s %s\n", i + 1, plan_kind_word(p->steps[i].dir), sb_str(&sb));
		sb_free(&sb);
		if (sql && p->steps[i].dir != PLAN_STAMP)
			print_sql_of(c, &p->steps[i]);
	}
}

/* The plan's lint findings, worst first, one a line. */
static void print_plan_findings(struct cli_ctx *c, const struct lint_findings *f)
{
	for (uint32_t i = 0; i < f->n; i++) {
		const struct lint_finding *x = &f->v[i];
		fprintf(c->out, "  %s:%u: %s: %s: %s\n", x->file, x->line,
		        lint_severity_name(x->severity), lint_rules[x->rule].id, x->message);
	}
}

struct cli_confirm cli_confirm_given(const struct cli_opts *o)
{
	struct cli_confirm g = {cli_flag(o, "yes"), cli_opt(o, "confirm-database")};
	return g;
}

int cli_production_confirm(struct cli_ctx *c, const struct cli_confirm *given,
                           const char *cmd, const char *verb,
                           unsigned reasons, char **err)
{
	const char *named = given->database;
	const char *dbname = c->url.dbname;
	if (named && !policy_names_ok(named, dbname))
		return rt_err(err, RT_EUSAGE, "retort %s: --confirm-database '%s' does not name "
		              "this database (%s, named %s): nothing was done",
		              cmd, named, c->url.display, dbname);
	if (!reasons || (named && given->yes))
		return RT_OK;
	struct strbuf why = STRBUF_INIT;
	policy_describe(reasons, &why);
	int rc = RT_OK;
	if (!c->interactive && c->fleet_member) {
		rc = rt_err(err, RT_EUSAGE, "retort %s: %s is a production database: production = "
		            "true asks for its name before %s; a fleet run asks nothing: pass --yes "
		            "--confirm-database with every target's database, comma-separated (this "
		            "one is %s); nothing was done",
		            cmd, c->url.display, sb_str(&why), dbname);
	} else if (!c->interactive) {
		rc = rt_err(err, RT_EUSAGE, "retort %s: %s is a production database: production = "
		            "true asks for its name before %s; not on a terminal, pass --yes "
		            "--confirm-database %s; nothing was done",
		            cmd, c->url.display, sb_str(&why), dbname);
	} else {
		fprintf(c->out, "%s is a production database: production = true asks for its name "
		        "before %s.\nType its name (%s) to %s: ", c->url.display, sb_str(&why),
		        dbname, verb);
		fflush(c->out);
		char line[256] = "";
		if (!fgets(line, sizeof line, stdin) || !policy_name_ok(line, dbname)) {
			line[strcspn(line, "\n")] = '\0';
			rc = rt_err(err, RT_EFAIL, "'%s' is not '%s': nothing was done", line, dbname);
		}
	}
	sb_free(&why);
	return rc;
}

/* Production mode before a run: the plan from the heads as they are now,
 * its findings and, when the policy asks for it, the typed name. On RT_OK
 * *expect is the fingerprint of the plan that was confirmed, for the run
 * to check under the lock (NULL when nothing needed confirming); caller
 * frees it with run_expect_free. */
static int production_gate(struct cli_ctx *c, struct target *t, const char *cmd,
                           struct run_expect **expect, char **err)
{
	*expect = NULL;
	if (!c->cfg.production)
		return cli_production_confirm(c, &t->confirm, cmd, cmd, 0, err);
	char **heads = NULL;
	uint32_t n = 0;
	struct plan *p = NULL;
	struct lint_findings f;
	lint_findings_init(&f);
	int rc = c->db->ops->read_heads(c->db, &heads, &n, err);
	if (rc == RT_OK)
		rc = build_plan(t, (const char *const *)heads, n, &p, err);
	db_strv_free(heads, n);
	if (rc == RT_OK)
		rc = policy_findings(c->graph, p, db_dialect(c), &f, err);
	unsigned reasons = rc == RT_OK ? policy_check(&c->cfg, c->graph, p, &f) : 0;
	/* the scripts as they are shown: an edit after this stops the run */
	if (reasons)
		rc = run_expect_make(c->graph, p, expect, err);
	bool ask = rc == RT_OK && reasons && c->interactive && !(t->confirm.yes && t->confirm.database);
	if (ask) {
		char *lead = xasprintf("%s %s (%s)", plan_kind_title(p->kind), c->url.dbname, c->url.display);
		print_steps(c, lead, p, false);
		free(lead);
		if (p->kind != PLAN_STAMP)
			fputs(f.n ? "What lint finds in it, worst first:\n" : "Lint finds nothing in it.\n",
			      c->out);
		print_plan_findings(c, &f);
	}
	if (rc == RT_OK)
		rc = cli_production_confirm(c, &t->confirm, cmd, plan_kind_word(p->kind), reasons,
		                            err);
	lint_findings_free(&f);
	plan_free(p);
	if (rc != RT_OK) {
		run_expect_free(*expect);
		*expect = NULL;
	}
	return rc;
}

/* Runs a plan (or prints it for --dry-run) for the target in t. */
/* Under plans a face showed (cli_ctx.shown): the one shown for the state
 * the database is in now, for the runner to hold the plan it builds under
 * the lock to; a state no plan was shown for runs nothing. */
static int shown_expect(struct cli_ctx *c, const struct run_expect **expect, char **err)
{
	char **heads = NULL;
	uint32_t n = 0;
	int rc = c->db->ops->read_heads(c->db, &heads, &n, err);
	if (rc != RT_OK)
		return rc;
	char *key = cli_state_key(heads, n);
	db_strv_free(heads, n);
	for (uint32_t i = 0; i < c->shown->n; i++)
		if (strcmp(c->shown->v[i].from, key) == 0)
			*expect = c->shown->v[i].expect;
	if (!*expect)
		rc = rt_err(err, RT_EFAIL, "the database is at %s now, and no plan from there was shown: "
		            "nothing was run", *key ? key : "<base>");
	free(key);
	return rc;
}

static int execute(struct cli_ctx *c, struct target *t, const char *cmd)
{
	char *err = NULL;
	/* a file that does not exist has nothing to downgrade: not created */
	int rc = t->kind == PLAN_DOWNGRADE ? cli_db_read(c, &err) : open_db(c, &err);
	if (rc != RT_OK)
		return cli_report(c, rc, err);
	if (t->dry_run) {
		char **heads = NULL;
		uint32_t n = 0;
		struct plan *p = NULL;
		rc = c->db->ops->read_heads(c->db, &heads, &n, &err);
		if (rc == RT_OK)  /* what the run would refuse */
			rc = run_check_open(c->db, c->graph, false, &err);
		if (rc == RT_OK)
			rc = build_plan(t, (const char *const *)heads, n, &p, &err);
		if (rc == RT_OK)
			print_plan(c, p);
		plan_free(p);
		db_strv_free(heads, n);
		return cli_report(c, rc, err);
	}
	bool rehearse = t->rehearse;
	struct progress pr;
	progress_of(&pr, c, cmd, rehearse);
	struct run_opts o = {
		.mode = c->cfg.transaction_mode,
		.lock_wait = cli_lock_wait(c),
		.on_step = on_step, .on_progress = on_progress, .ctx = &pr, .rehearse = rehearse,
		.delegate = cli_delegate(c),
		/* one of a fleet's targets: Ctrl-C lets its step finish */
		.finish_step = c->fleet_member,
	};
	struct run_expect *expect = NULL;
	if (!rehearse) {
		/* production mode's guard holds whoever shows the plan */
		rc = production_gate(c, t, cmd, &expect, &err);
		if (rc != RT_OK)
			return cli_report(c, rc, err);
		o.expect = expect;
	}
	if (!rehearse && c->shown) {
		/* the plan a face showed for this state, not the gate's own */
		o.expect = NULL;
		rc = shown_expect(c, &o.expect, &err);
		if (rc != RT_OK) {
			run_expect_free(expect);
			return cli_report(c, rc, err);
		}
	}
	struct plan *done = NULL;
	rc = run_locked(c->db, c->graph, build_plan, t, &o, &done, &err);
	run_expect_free(expect);
	if (rehearse && done && !c->json) {
		if (rc == RT_OK)
			fprintf(c->out, "Rehearsal passed: %u step%s ran and were rolled back; the "
			        "database is unchanged.\n", done->n, done->n == 1 ? "" : "s");
		else
			fprintf(c->out, "Rehearsal failed: everything was rolled back; the database is "
			        "unchanged.\n");
	}
	if (rc == RT_OK && done && !c->quiet) {
		if (done->n == 0 && !c->json)
			fprintf(c->out, "Nothing to do: the database is already there.\n");
		if (c->json)
			print_plan(c, done);
	}
	plan_free(done);
	return cli_report(c, rc, err);
}

static int run_migrate_cmd(struct cli_ctx *c, const struct cli_opts *opts, int argc,
                           char **argv, enum plan_kind kind, const char *deflt)
{
	if (argc > 2 || (argc < 2 && !deflt)) {
		fprintf(c->errf, "usage: retort %s %s\n", argv[0],
		        deflt ? "[TARGET]" : "TARGET");
		return RT_EUSAGE;
	}
	const char *arg = argc == 2 ? argv[1] : deflt;
	struct target t = {c, kind, NULL, 0, false, cli_flag(opts, "dry-run"),
	                   cli_flag(opts, "rehearse"), cli_confirm_given(opts)};
	if (cli_flag(opts, "sql"))
		return offline_sql(c, &t, arg);
	if (strchr(arg, ':')) {
		fprintf(c->errf, "retort %s: a range A:B is only for --sql\n", argv[0]);
		return RT_EUSAGE;
	}
	t.specs = &arg;
	t.nspecs = 1;
	return execute(c, &t, argv[0]);
}

/* With --target (a fleet run, cmd_fleet.c). */
#define FLEET_RUN_OPTS \
	{"parallel", 0, "N", "with --target: run N targets at a time (default 4)"}, \
	{"canary", 0, "N", "with --target: run the first N targets alone first; stop if one fails"}, \
	{"keep-going", 0, NULL, "with --target: start new targets after one failed"}

#define CONFIRM_OPTS \
	{"yes", 'y', NULL, "no questions (production mode: with --confirm-database)"}, \
	{"confirm-database", 0, "NAME", "the database's name, as production mode asks for it (a fleet run: every target's, comma-separated)"}

static const struct cmd_opt migrate_opts[] = {
	{"sql", 0, NULL, "print the SQL instead of running it (never connects; FROM:TO)"},
	{"dry-run", 0, NULL, "print the plan and touch nothing"},
	{"rehearse", 0, NULL, "run the plan in one transaction and roll it back"},
	CONFIRM_OPTS,
	FLEET_RUN_OPTS,
	{NULL, 0, NULL, NULL},
};

static int run_upgrade(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	return run_migrate_cmd(c, opts, argc, argv, PLAN_UPGRADE, "head");
}

static int run_downgrade(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	return run_migrate_cmd(c, opts, argc, argv, PLAN_DOWNGRADE, NULL);
}

const struct cmd_entry cmd_upgrade = {
	"upgrade", "[TARGET]", "apply revisions up to TARGET (default: head)", migrate_opts,
	CMD_NEEDS_GRAPH | CMD_WRITES | CMD_TARGETS, run_upgrade, CMD_ARG_REVISION,
};

const struct cmd_entry cmd_downgrade = {
	"downgrade", "TARGET", "revert revisions down to TARGET", migrate_opts,
	CMD_NEEDS_GRAPH | CMD_WRITES | CMD_TARGETS, run_downgrade, CMD_ARG_REVISION,
};

/* ---- stamp ---- */

static const struct cmd_opt stamp_opts[] = {
	{"purge", 0, NULL, "empty the version table first"},
	{"sql", 0, NULL, "print the SQL instead of running it"},
	{"dry-run", 0, NULL, "print the change and touch nothing"},
	CONFIRM_OPTS,
	FLEET_RUN_OPTS,
	{NULL, 0, NULL, NULL},
};

static int run_stamp(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	if (argc < 2) {
		fprintf(c->errf, "usage: retort stamp [--purge] TARGET...\n");
		return RT_EUSAGE;
	}
	struct target t = {c, PLAN_STAMP, (const char *const *)argv + 1, argc - 1,
	                   cli_flag(opts, "purge"), cli_flag(opts, "dry-run"), false,
	                   cli_confirm_given(opts)};
	if (cli_flag(opts, "sql")) {
		if (argc != 2)
			return cli_report(c, RT_EUSAGE, xstrdup("stamp --sql takes one TARGET"));
		return offline_sql(c, &t, argv[1]);
	}
	return execute(c, &t, argv[0]);
}

const struct cmd_entry cmd_stamp = {
	"stamp", "TARGET...", "set the version table without running scripts", stamp_opts,
	CMD_NEEDS_GRAPH | CMD_WRITES | CMD_TARGETS, run_stamp, CMD_ARG_REVISION,
};

/* ---- current ---- */

/* Alembic's current revisions for the version table's rows: every applied
 * revision (the rows, their ancestors and dependencies) that no applied
 * revision revises, so that a dependency kept in its dependent's row is
 * named too; rows no script defines stay. *heads replaced (db_strv_free). */
static void alembic_current(const struct graph *g, char ***heads, uint32_t *n)
{
	struct bitset applied;
	bitset_init(&applied, g->n);
	struct u32vec unknown = {0};
	for (uint32_t i = 0; i < *n; i++) {
		int32_t x = graph_find(g, (*heads)[i]);
		if (x < 0)
			u32vec_push(&unknown, i);
		else if (!bitset_get(&applied, (uint32_t)x))
			graph_ancestors(g, (uint32_t)x, true, &applied);
	}
	char **v = xcalloc(g->n + *n + 1, sizeof(*v));
	uint32_t k = 0;
	for (uint32_t r = g->n; r-- > 0;) {
		if (!bitset_get(&applied, r))
			continue;
		bool above = false;
		for (uint32_t j = 0; j < g->nodes[r].nchildren && !above; j++)
			above = bitset_get(&applied, g->nodes[r].children[j]);
		if (!above)
			v[k++] = xstrdup(g->nodes[r].s.rev);
	}
	for (uint32_t i = 0; i < unknown.n; i++)
		v[k++] = xstrdup((*heads)[unknown.v[i]]);
	db_strv_free(*heads, *n);
	*heads = v;
	*n = k;
	u32vec_free(&unknown);
	bitset_free(&applied);
}

static int run_current(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	char *err = NULL;
	char **heads = NULL;
	uint32_t n = 0;
	if (argc > 1) {
		fprintf(c->errf, "retort current: unexpected argument '%s'\n", argv[1]);
		return RT_EUSAGE;
	}
	int rc = cli_graph(c, &err);
	if (rc == RT_OK)
		rc = cli_current(c, &heads, &n, &err);
	if (rc != RT_OK)
		return cli_report(c, rc, err);
	const struct graph *g = c->graph;
	if (cli_alembic(c) && !c->json)
		alembic_current(g, &heads, &n);
	struct strbuf sb = STRBUF_INIT;
	if (c->json) {
		sb_adds(&sb, "{\"database\":");
		sb_add_json_str(&sb, c->url.display);
		sb_adds(&sb, ",\"current\":[");
	} else if (c->verbose && cli_alembic(c)) {
		sb_addf(&sb, "Current revision(s) for %s:\n", c->url.display);
	}
	for (uint32_t i = 0; i < n; i++) {
		int32_t x = graph_find(g, heads[i]);
		if (c->json) {
			if (i)
				sb_addc(&sb, ',');
			if (x >= 0) {
				out_rev_json(&sb, g, (uint32_t)x, 1);
			} else {
				sb_adds(&sb, "{\"revision\":");
				sb_add_json_str(&sb, heads[i]);
				sb_adds(&sb, ",\"unknown\":true}");
			}
		} else if (x < 0) {
			sb_addf(&sb, "%s (unknown: no script defines it)\n", heads[i]);
		} else if (c->verbose && cli_alembic(c)) {
			out_rev_verbose_alembic(&sb, g, (uint32_t)x, false);
		} else if (c->verbose) {
			out_rev_verbose(&sb, g, (uint32_t)x, true);
		} else if (cli_alembic(c)) {
			/* Alembic's current: no labels, the tree markers */
			out_rev_line(&sb, g, (uint32_t)x, OUT_TREE | OUT_ALEMBIC, false);
			sb_addc(&sb, '\n');
		} else {
			out_rev_line(&sb, g, (uint32_t)x, OUT_LINE_LABELS | OUT_HEAD, false);
			sb_addc(&sb, '\n');
		}
	}
	if (c->json)
		sb_adds(&sb, "],\"unfinished\":[");
	else if (c->verbose && n == 0)
		sb_addf(&sb, "<base>: nothing applied to %s\n", c->url.display);
	/* a step left half done: the version table alone does not say where
	 * the database is */
	int nopen = 0;
	rc = cli_open_steps(c, c->json ? OPEN_STYLE_JSON : OPEN_STYLE_BRIEF, &sb, &nopen, &err);
	if (c->json)
		sb_adds(&sb, "]}\n");
	fputs(sb_str(&sb), c->out);
	sb_free(&sb);
	db_strv_free(heads, n);
	return cli_report(c, rc, err);
}

const struct cmd_entry cmd_current = {
	"current", NULL, "show the database's current revision(s)", no_opts,
	CMD_NEEDS_DB | CMD_TARGETS, run_current,
};

/* ---- check ---- */

/* The lines of text as a JSON array of strings. */
static void json_lines(struct strbuf *sb, const char *text)
{
	sb_addc(sb, '[');
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		char *line = xstrndup(p, e ? (size_t)(e - p) : strlen(p));
		if (p != text)
			sb_addc(sb, ',');
		sb_add_json_str(sb, line);
		free(line);
		p = e ? e + 1 : p + strlen(p);
	}
	sb_addc(sb, ']');
}

static int run_check(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	char *err = NULL;
	struct strbuf problems = STRBUF_INIT, skipped = STRBUF_INIT, uncompared = STRBUF_INIT;
	int nproblems = 0;
	if (argc > 1) {
		fprintf(c->errf, "retort check: unexpected argument '%s'\n", argv[1]);
		return RT_EUSAGE;
	}
	int rc = cli_graph(c, &err);
	if (rc == RT_EINPUT && c->versions_dir) {
		/* A damaged graph is what check reports, not a usage error. */
		sb_addf(&problems, "%s\n", err);
		for (const char *p = err; *p; p++)
			nproblems += *p == '\n';
		nproblems++;
		free(err);
		err = NULL;
	} else if (rc != RT_OK) {
		return cli_report(c, rc, err);
	}
	const struct graph *g = c->graph;
	if (g && g->nheads > 1) {
		sb_adds(&problems, "multiple heads are present (");
		for (uint32_t i = 0; i < g->nheads; i++)
			sb_addf(&problems, "%s%s", i ? ", " : "", g->nodes[g->heads[i]].s.rev);
		sb_adds(&problems, "); join them with 'retort merge'\n");
		nproblems++;
	}
	bool have_db = false;
	char *uerr = NULL;
	bool url = g && cli_url(c, &uerr) == RT_OK;
	/* opened first, so that a backend that cannot load says so */
	int open = url ? cli_db(c, &err) : RT_OK;
	if (open != RT_OK) {
		sb_free(&problems);
		free(uerr);
		return cli_report(c, open, err);
	} else if (url && cli_db_missing(c)) {
		have_db = true;
		sb_addf(&problems, "%s: database file %s does not exist (check the database URL)\n",
		        c->url.display, c->url.path);
		nproblems++;
	} else if (url) {
		have_db = true;
		char **heads = NULL;
		uint32_t n = 0;
		rc = cli_current(c, &heads, &n, &err);
		if (rc != RT_OK) {
			sb_free(&problems);
			free(uerr);
			return cli_report(c, rc, err);
		}
		for (uint32_t i = 0; i < n; i++) {
			if (graph_find(g, heads[i]) < 0) {
				sb_addf(&problems, "%s: the database is at revision '%s', which no script "
				        "defines\n", c->url.display, heads[i]);
				nproblems++;
			}
		}
		struct u32vec changed = {0};
		rc = inspect_changed(c->db, c->graph, heads, n, &changed, &err);
		for (uint32_t i = 0; i < changed.n; i++) {
			const struct gnode *x = &g->nodes[changed.v[i]];
			sb_addf(&problems, "%s: revision %s changed after it was applied (checksum "
			        "differs); revert the edit, or accept it with 'retort repair %s'\n",
			        x->s.path, x->s.rev, x->s.rev);
			nproblems++;
		}
		u32vec_free(&changed);
		db_strv_free(heads, n);
		int nopen = 0;
		if (rc == RT_OK)
			rc = cli_open_steps(c, OPEN_STYLE_PROBLEMS, &problems, &nopen, &err);
		nproblems += nopen;
		struct schema_live lv;
		struct schema_drift_result drift = {0};
		if (rc == RT_OK)
			rc = cli_schema_live(c, &lv, &err);
		if (rc == RT_OK)
			rc = schema_drift(&lv, g, c->cfg.schema, &drift, &skipped, &uncompared, &err);
		if (rc == RT_OK) {
			schema_drift_lines(&drift, &problems);
			nproblems += (int)drift.count;
		}
		schema_drift_result_free(&drift);
		if (rc != RT_OK) {
			/* what the replay left out may be why it failed */
			if (!c->json && !c->quiet)
				fputs(sb_str(&skipped), c->out);
			sb_free(&skipped);
			sb_free(&uncompared);
			sb_free(&problems);
			free(uerr);
			return cli_report(c, rc, err);
		}
	}
	free(uerr);
	if (c->json) {
		struct strbuf sb = STRBUF_INIT;
		sb_adds(&sb, "{\"problems\":");
		json_lines(&sb, sb_str(&problems));
		sb_adds(&sb, ",\"skipped\":");
		json_lines(&sb, sb_str(&skipped));
		sb_adds(&sb, ",\"not_compared\":");
		json_lines(&sb, sb_str(&uncompared));
		sb_addf(&sb, ",\"database_checked\":%s}\n", have_db ? "true" : "false");
		fputs(sb_str(&sb), c->out);
		sb_free(&sb);
		sb_free(&skipped);
		sb_free(&uncompared);
		sb_free(&problems);
		return nproblems ? RT_EFOUND : RT_OK;
	}
	/* statements the drift check's replay did not run, and what it does
	 * not compare (never counted as problems): before the problems,
	 * which the comparison found without them */
	if (!c->quiet) {
		fputs(sb_str(&skipped), c->out);
		fputs(sb_str(&uncompared), c->out);
	}
	sb_free(&skipped);
	sb_free(&uncompared);
	if (nproblems) {
		fputs(sb_str(&problems), c->out);
		fprintf(c->out, "%d problem%s found\n", nproblems, nproblems == 1 ? "" : "s");
	} else if (!c->quiet) {
		fprintf(c->out, "No problems found%s\n",
		        have_db ? "" : " (scripts only: no database configured)");
	}
	sb_free(&problems);
	return nproblems ? RT_EFOUND : RT_OK;
}

const struct cmd_entry cmd_check = {
	"check", NULL, "list problems: damaged graph, edited applied scripts, unknown or several heads",
	no_opts, CMD_TARGETS, run_check,
};

/* ---- repair ---- */

struct repair {
	struct cli_ctx *c;
	const char *spec;
	bool changed;
	char *rev_id;
};

static int do_repair(struct cli_ctx *c, struct repair *r, char **err)
{
	struct db *db = c->db;
	const struct graph *g = c->graph;
	char **heads = NULL;
	uint32_t n = 0;
	uint32_t *idx = NULL;
	struct revset rs = {0};
	struct history_row *rows = NULL;
	uint32_t nrows = 0;
	int rc = db->ops->read_heads(db, &heads, &n, err);
	if (rc == RT_OK)
		rc = plan_heads_index(g, (const char *const *)heads, n, &idx, err);
	if (rc == RT_OK) {
		struct spec_ctx sc = {g, idx, n, true};
		rc = spec_resolve(&sc, r->spec, &rs, err);
	}
	if (rc == RT_OK && rs.n != 1)
		rc = rt_err(err, RT_EUSAGE, "repair takes exactly one revision, '%s' names %u",
		            r->spec, rs.n);
	if (rc != RT_OK)
		goto out;
	uint32_t rev = rs.v[0];
	const struct gnode *x = &g->nodes[rev];
	bool applied = false;
	for (uint32_t i = 0; i < n && !applied; i++)
		applied = graph_is_ancestor(g, rev, idx[i]);
	if (!applied) {
		rc = rt_err(err, RT_EUSAGE, "revision %s is not applied: there is nothing to repair",
		            x->s.rev);
		goto out;
	}
	char hex[65];
	rc = script_checksum(&x->s, hex, err);
	if (rc == RT_OK)
		rc = db->ops->history_read(db, x->s.rev, &rows, &nrows, err);
	if (rc != RT_OK)
		goto out;
	const char *sum = inspect_recorded_checksum(rows, nrows, x->s.rev);
	r->rev_id = xstrdup(x->s.rev);
	if (sum && strcmp(sum, hex) == 0)
		goto out;
	r->changed = true;
	struct strbuf hb = STRBUF_INIT;
	for (uint32_t i = 0; i < n; i++)
		sb_addf(&hb, "%s%s", i ? " " : "", heads[i]);
	rc = run_record_repair(db, x->s.rev, hex, sb_str(&hb), err);
	sb_free(&hb);
out:
	db_history_free(rows, nrows);
	revset_free(&rs);
	free(idx);
	db_strv_free(heads, n);
	return rc;
}

static int run_repair(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	if (argc != 2) {
		fprintf(c->errf, "usage: retort repair SPEC\n");
		return RT_EUSAGE;
	}
	char *err = NULL;
	/* nothing to repair in a database that does not exist */
	int rc = cli_db_read(c, &err);
	if (rc != RT_OK)
		return cli_report(c, rc, err);
	/* a Transaction: none step left half done: the version table is
	 * accepted as it is, and the ledger says so */
	bool found = false;
	struct cli_confirm given = cli_confirm_given(opts);
	rc = cli_resolve(c, &given, argv[1], 2, &found);
	if (found || rc != RT_OK)
		return rc;
	struct db_wait w = cli_lock_wait(c);
	rc = c->db->ops->lock(c->db, &w, &err);
	if (rc != RT_OK)
		return cli_report(c, rc, err);
	struct repair r = {c, argv[1], false, NULL};
	rc = do_repair(c, &r, &err);
	c->db->ops->unlock(c->db);
	if (rc == RT_OK && !c->quiet)
		fprintf(c->out, r.changed ? "Accepted the current file of %s: its new checksum is "
		                            "recorded in the ledger\n"
		                          : "Nothing to repair: %s matches its recorded checksum\n",
		        r.rev_id);
	free(r.rev_id);
	return cli_report(c, rc, err);
}

static const struct cmd_opt repair_opts[] = {
	{"yes", 'y', NULL, "with --confirm-database: no question on a production database"},
	{"confirm-database", 0, "NAME", "the database's name, for a production database"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_repair = {
	"repair", "SPEC", "accept the edited file of one applied revision (new checksum), or the "
	"version table as it is after an interrupted Transaction: none step",
	repair_opts, CMD_NEEDS_GRAPH | CMD_NEEDS_DB | CMD_WRITES, run_repair, CMD_ARG_REVISION,
};

/* ---- lock ---- */

static int run_lock(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	char *err = NULL, *holder = NULL;
	if (argc > 1) {
		fprintf(c->errf, "retort lock: unexpected argument '%s'\n", argv[1]);
		return RT_EUSAGE;
	}
	int rc = cli_db_read(c, &err);
	if (rc == RT_OK)
		rc = c->db->ops->lock_holder(c->db, &holder, &err);
	if (rc != RT_OK)
		return cli_report(c, rc, err);
	if (c->json) {
		struct strbuf sb = STRBUF_INIT;
		sb_adds(&sb, "{\"locked\":");
		sb_adds(&sb, holder ? "true,\"holder\":" : "false,\"holder\":null");
		if (holder)
			sb_add_json_str(&sb, holder);
		sb_adds(&sb, "}\n");
		fputs(sb_str(&sb), c->out);
		sb_free(&sb);
	} else if (holder) {
		fprintf(c->out, "locked: %s\n", holder);
	} else {
		fprintf(c->out, "unlocked: no retort process is migrating %s\n", c->url.display);
	}
	free(holder);
	return RT_OK;
}

const struct cmd_entry cmd_lock = {
	"lock", NULL, "show who holds the migration lock, if anyone", no_opts,
	CMD_NEEDS_DB | CMD_TARGETS, run_lock,
};

/* ---- backup ---- */

static void backup_progress(void *ctx, double fraction)
{
	struct progress_line *line = ctx;
	if (fraction >= 1.0)
		progress_clear(line);
	else
		progress_fraction(line, fraction, NULL);
}

static int run_backup(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	char *err = NULL, *path = NULL;
	if (argc > 2) {
		fprintf(c->errf, "usage: retort backup [FILE]\n");
		return RT_EUSAGE;
	}
	int rc = cli_db(c, &err);
	struct db_wait w = cli_lock_wait(c);
	struct progress_line line;
	progress_init(&line, c, "backup");
	if (rc == RT_OK)
		rc = backup_run(c->db, &c->url, cli_version_table(c), &w,
		                argc == 2 ? argv[1] : NULL, backup_progress, &line, &path, &err);
	progress_clear(&line);
	if (rc == RT_OK && !c->quiet) {
		char *hint = backup_restore_hint(&c->url, path);
		fprintf(c->out, "Backup of %s written to %s and verified (it opens, and its "
		        "version table matches)\n%s\n", c->url.display, path, hint);
		free(hint);
	}
	free(path);
	return cli_report(c, rc, err);
}

const struct cmd_entry cmd_backup = {
	"backup", "[FILE]", "write a consistent copy of the database", no_opts,
	CMD_NEEDS_DB | CMD_TARGETS, run_backup, CMD_ARG_FILE,
};

/* ---- history --applied ---- */

int cmd_history_applied(struct cli_ctx *c, const char *revision)
{
	char *err = NULL;
	struct history_row *rows = NULL;
	uint32_t n = 0;
	int rc = cli_db_read(c, &err);
	if (rc == RT_OK)
		rc = c->db->ops->history_read(c->db, revision, &rows, &n, &err);
	if (rc != RT_OK)
		return cli_report(c, rc, err);
	struct strbuf sb = STRBUF_INIT;
	if (c->json)
		sb_adds(&sb, "{\"ledger\":[");
	for (uint32_t i = 0; i < n; i++) {
		const struct history_row *r = &rows[i];
		if (c->json) {
			sb_addf(&sb, "%s{\"id\":%lld,\"revision\":", i ? "," : "", (long long)r->id);
			sb_add_json_str(&sb, r->revision);
			const char *keys[] = {"direction", "outcome", "heads_before", "heads_after",
			                      "checksum", "started_at", "finished_at", "db_user",
			                      "os_user", "host", "retort_version", "error"};
			const char *vals[] = {r->direction, r->outcome, r->heads_before,
			                      r->heads_after, r->checksum, r->started_at,
			                      r->finished_at, r->db_user, r->os_user, r->host,
			                      r->retort_version, r->error};
			for (size_t k = 0; k < RT_ARRAY_LEN(keys); k++) {
				sb_addf(&sb, ",\"%s\":", keys[k]);
				if (vals[k])
					sb_add_json_str(&sb, vals[k]);
				else
					sb_adds(&sb, "null");
			}
			sb_addf(&sb, ",\"duration_ms\":%.3f,\"error_line\":%lld,\"last_ok_line\":%lld,"
			        "\"pid\":%lld}", r->duration_ms, (long long)r->error_line,
			        (long long)r->last_ok_line, (long long)r->pid);
			continue;
		}
		sb_addf(&sb, "%s  %-9s %-12s %-6s %8.1f ms  %s@%s", r->started_at, r->direction,
		        r->revision, r->outcome, r->duration_ms, r->os_user ? r->os_user : "?",
		        r->host ? r->host : "?");
		if (r->db_user)
			sb_addf(&sb, " (db user %s)", r->db_user);
		sb_addf(&sb, "  [%s -> %s]", *r->heads_before ? r->heads_before : "<base>",
		        *r->heads_after ? r->heads_after : "<base>");
		if (r->error) {
			sb_addf(&sb, "\n    error");
			if (r->error_line)
				sb_addf(&sb, " at line %lld", (long long)r->error_line);
			if (r->last_ok_line)
				sb_addf(&sb, " (last statement that succeeded: line %lld)",
				        (long long)r->last_ok_line);
			sb_addf(&sb, ": %s", r->error);
		} else if (history_outcome(r) == HISTORY_STARTED || history_outcome(r) == HISTORY_INTERRUPTED) {
			sb_addf(&sb, "\n    not completed: last statement known to have run: ");
			if (r->last_ok_line)
				sb_addf(&sb, "line %lld", (long long)r->last_ok_line);
			else
				sb_adds(&sb, "none");
		}
		sb_addc(&sb, '\n');
	}
	if (c->json)
		sb_adds(&sb, "]}\n");
	else if (n == 0 && !c->quiet)
		sb_adds(&sb, "The ledger is empty: nothing was applied with retort yet.\n");
	fputs(sb_str(&sb), c->out);
	sb_free(&sb);
	db_history_free(rows, n);
	return RT_OK;
}

/* ---- rollback: the guided downgrade (retort(1) `rollback`) on the command line ---- */

static const struct cmd_opt rollback_opts[] = {
	{"backup", 0, NULL, "back the database up first (verified)"},
	{"rehearse", 0, NULL, "rehearse the downgrade first (rolled back)"},
	{"yes", 'y', NULL, "no questions: needed when not on a terminal"},
	{"confirm-database", 0, "NAME", "the database's name, as production mode asks for it"},
	{NULL, 0, NULL, NULL},
};

/* Asks on the terminal; true for yes. An empty answer takes deflt. */
static bool ask(struct cli_ctx *c, const char *question, bool deflt)
{
	fprintf(c->out, "%s [%s] ", question, deflt ? "Y/n" : "y/N");
	fflush(c->out);
	char line[256];
	if (!fgets(line, sizeof line, stdin))
		return false;
	if (line[0] == '\n')
		return deflt;
	return line[0] == 'y' || line[0] == 'Y';
}

static void print_sql_of(struct cli_ctx *c, const struct plan_step *s)
{
	char *sql = NULL, *err = NULL;
	const struct gnode *x = &c->graph->nodes[s->rev];
	if (script_read_sql(&x->s, SCRIPT_DOWNGRADE, &sql, &err) == RT_OK) {
		for (char *line = strtok(sql, "\n"); line; line = strtok(NULL, "\n"))
			fprintf(c->out, "      %s\n", line);
	}
	free(sql);
	free(err);
}

/* The rollback's plan for the target in t, built from the heads read then. */
static int rollback_proposal(struct cli_ctx *c, struct target *t, struct rollback **out,
                             char **err)
{
	/* an exact count may take this long, or less under --statement-timeout */
	double limit = 5;
	if (c->statement_timeout > 0 && c->statement_timeout < limit)
		limit = c->statement_timeout;
	struct rollback_opts o = {t->specs[0], build_plan, t, db_dialect(c), limit,
	                          c->statement_timeout};
	return rollback_propose(c->db, c->graph, &c->cfg, &o, out, err);
}

/* The proposal as text: the plan (with the SQL it runs, for whoever
 * answers the questions), what lint says it destroys and how many rows
 * that is. */
static void rollback_show(struct cli_ctx *c, const struct rollback *r, bool sql)
{
	const struct plan *p = r->plan;
	char *lead = xasprintf("Rollback of %s", c->url.display);
	print_steps(c, lead, p, sql);
	free(lead);
	fprintf(c->out, "Version table now:");
	for (uint32_t i = 0; i < r->nheads; i++)
		fprintf(c->out, " %s", r->heads[i]);
	fprintf(c->out, "%s\n", r->nheads ? "" : " <base>");
	fprintf(c->out, "What it destroys:\n");
	print_plan_findings(c, &r->findings);
	if (!r->findings.n)
		fprintf(c->out, "  nothing lint knows of\n");
	if (r->nstakes)
		fprintf(c->out, "Data at stake (counted now):\n");
	for (uint32_t i = 0; i < r->nstakes; i++) {
		const struct rollback_stake *s = &r->stakes[i];
		struct strbuf sb = STRBUF_INIT;
		rollback_stake_words(s, &sb);
		fprintf(c->out, "  step %u, %s%s%s (%s): %s\n", s->step + 1, s->table,
		        s->column ? "." : "", s->column ? s->column : "",
		        lint_rules[r->findings.v[s->finding].rule].id, sb_str(&sb));
		sb_free(&sb);
	}
}

/* The proposal as JSON (retort(1) `rollback --json`), without its closing
 * brace: a run adds its result. */
static void rollback_json(struct cli_ctx *c, const struct rollback *r, struct strbuf *sb)
{
	const struct plan *p = r->plan;
	sb_adds(sb, "{\"database\":");
	sb_add_json_str(sb, c->url.display);
	out_json_str_or_null(sb, "target", r->target);
	out_json_strs(sb, "heads_before", r->heads, r->nheads);
	out_json_strs(sb, "heads_after", p->final_heads, p->nfinal);
	struct strbuf why = STRBUF_INIT;
	policy_describe(r->reasons, &why);
	sb_addf(sb, ",\"production\":%s", c->cfg.production ? "true" : "false");
	out_json_str_or_null(sb, "confirm_name_for", r->reasons ? sb_str(&why) : NULL);
	sb_free(&why);
	sb_adds(sb, ",\"steps\":[");
	for (uint32_t i = 0; i < p->n; i++) {
		const struct plan_step *s = &p->steps[i];
		const struct gnode *x = &c->graph->nodes[s->rev];
		sb_addf(sb, "%s{\"direction\":\"%s\",\"revision\":", i ? "," : "",
		        plan_kind_word(s->dir));
		sb_add_json_str(sb, s->rev_id);
		struct strbuf title = STRBUF_INIT;
		run_step_title(c->graph, s, &title);
		out_json_str_or_null(sb, "title", sb_str(&title));
		sb_free(&title);
		out_json_str_or_null(sb, "file", x->s.path);
		out_json_str_or_null(sb, "heads_before", s->heads_before);
		out_json_str_or_null(sb, "heads_after", s->heads_after);
		sb_addf(sb, ",\"destroys_data\":%s",
		        rollback_step_destructive(r, i) ? "true" : "false");
		out_json_str_or_null(sb, "sha256", r->expect ? r->expect->steps[i].hex : NULL);
		char *sql = NULL, *e = NULL;
		if (script_read_sql(&x->s, SCRIPT_DOWNGRADE, &sql, &e) != RT_OK)
			sql = NULL;
		out_json_str_or_null(sb, "sql", sql);
		free(sql);
		free(e);
		sb_adds(sb, "}");
	}
	sb_adds(sb, "],\"findings\":[");
	for (uint32_t i = 0; i < r->findings.n; i++) {
		const struct lint_finding *f = &r->findings.v[i];
		sb_addf(sb, "%s{\"file\":", i ? "," : "");
		sb_add_json_str(sb, f->file);
		sb_addf(sb, ",\"line\":%u,\"severity\":\"%s\",\"rule\":\"%s\",\"data_loss\":%s", f->line,
		        lint_severity_name(f->severity), lint_rules[f->rule].id,
		        lint_rules[f->rule].data_loss ? "true" : "false");
		out_json_str_or_null(sb, "revision", f->revision);
		out_json_str_or_null(sb, "message", f->message);
		sb_adds(sb, "}");
	}
	sb_adds(sb, "],\"data_at_stake\":[");
	for (uint32_t i = 0; i < r->nstakes; i++) {
		const struct rollback_stake *s = &r->stakes[i];
		sb_addf(sb, "%s{\"step\":%u,\"revision\":", i ? "," : "", s->step + 1);
		sb_add_json_str(sb, s->step < p->n ? p->steps[s->step].rev_id : "");
		sb_addf(sb, ",\"rule\":\"%s\"", lint_rules[r->findings.v[s->finding].rule].id);
		out_json_str_or_null(sb, "table", s->table);
		out_json_str_or_null(sb, "column", s->column);
		if (s->rows >= 0)
			sb_addf(sb, ",\"rows\":%lld", (long long)s->rows);
		else
			sb_adds(sb, ",\"rows\":null");
		if (s->values >= 0)
			sb_addf(sb, ",\"values\":%lld", (long long)s->values);
		sb_addf(sb, ",\"estimate\":%s,\"created_by_step\":%s", s->estimate ? "true" : "false",
		        s->created ? "true" : "false");
		out_json_str_or_null(sb, "applied_at", s->applied_at);
		out_json_str_or_null(sb, "why", s->why);
		sb_adds(sb, "}");
	}
	sb_adds(sb, "]");
}

/* A verified backup before the rollback, when wanted (--backup, or yes to
 * the question); *path is NULL when none was taken. */
static int rollback_backup(struct cli_ctx *c, bool wanted, bool yes, char **path, char **err)
{
	*path = NULL;
	if (!wanted && (yes || !ask(c, "Back up the database first?", true)))
		return RT_OK;
	int rc = cli_db(c, err);
	struct db_wait w = cli_lock_wait(c);
	struct progress_line line;
	progress_init(&line, c, "backup");
	if (rc == RT_OK)
		rc = backup_run(c->db, &c->url, cli_version_table(c), &w, NULL, backup_progress,
		                &line, path, err);
	progress_clear(&line);
	if (rc == RT_OK && !c->json)
		fprintf(c->out, "Backup written to %s and verified.\n", *path);
	return rc;
}

/* The rehearsal, when wanted: the whole downgrade in one transaction that
 * is rolled back. */
static int rollback_rehearse(struct cli_ctx *c, struct target *t, struct run_opts *o,
                             bool wanted, bool yes, char **err)
{
	if (!wanted && (yes || !ask(c, "Rehearse the rollback first (run it, then roll it back)?",
	                            true)))
		return RT_OK;
	struct progress *pr = o->ctx;
	pr->rehearse = o->rehearse = true;
	struct plan *done = NULL;
	int rc = run_locked(c->db, c->graph, build_plan, t, o, &done, err);
	plan_free(done);
	pr->rehearse = o->rehearse = false;
	if (!c->json)
		fprintf(c->out, rc == RT_OK ? "The rehearsal passed and was rolled back.\n"
		                            : "The rehearsal failed and was rolled back: nothing "
		                              "changed.\n");
	return rc;
}

/* After the run: where the database is now and the ledger rows written,
 * or, when it failed, how to restore the backup. */
static void rollback_report(struct cli_ctx *c, int rc, const struct plan *done,
                            const char *backup_path, double ms, struct strbuf *json)
{
	if (rc != RT_OK) {
		if (backup_path && !c->json) {
			char *hint = backup_restore_hint(&c->url, backup_path);
			fprintf(c->out, "The backup taken before is %s.\n%s\n", backup_path, hint);
			free(hint);
		}
		return;
	}
	char **now = NULL;
	uint32_t nnow = 0;
	struct history_row *rows = NULL;
	uint32_t nrows = 0;
	char *err = NULL;
	if (c->db->ops->read_heads(c->db, &now, &nnow, &err) != RT_OK)
		nnow = 0;
	free(err);
	err = NULL;
	if (c->db->ops->history_read(c->db, NULL, &rows, &nrows, &err) != RT_OK)
		nrows = 0;
	free(err);
	bool ledger = done && done->n && nrows >= done->n;
	if (json) {
		sb_adds(json, ",\"result\":{\"rolled_back\":true");
		out_json_strs(json, "heads", (const char *const *)now, nnow);
		out_json_str_or_null(json, "backup", backup_path);
		sb_addf(json, ",\"ms\":%.1f", ms);
		if (ledger)
			sb_addf(json, ",\"ledger_rows\":[%lld,%lld]}", (long long)rows[nrows - done->n].id,
			        (long long)rows[nrows - 1].id);
		else
			sb_adds(json, ",\"ledger_rows\":null}");
	} else {
		fprintf(c->out, "Rolled back.\nCurrent revision:");
		for (uint32_t i = 0; i < nnow; i++)
			fprintf(c->out, " %s", now[i]);
		fprintf(c->out, "%s\n", nnow ? "" : " <base>");
		if (backup_path)
			fprintf(c->out, "Backup: %s\n", backup_path);
		if (ledger)
			fprintf(c->out, "Ledger rows written: %lld to %lld (retort history --applied)\n",
			        (long long)rows[nrows - done->n].id, (long long)rows[nrows - 1].id);
	}
	db_history_free(rows, nrows);
	db_strv_free(now, nnow);
}

/* Whether the rollback may go on without questions; says why not. */
static bool rollback_usage(struct cli_ctx *c, int argc, bool yes)
{
	if (argc != 2) {
		fprintf(c->errf, "usage: retort rollback [--backup] [--rehearse] [--yes] "
		        "[--confirm-database NAME] TARGET\n");
		return false;
	}
	/* --json alone is a review for tooling: it changes nothing */
	if (!yes && !c->interactive && !c->json) {
		fprintf(c->errf, "retort rollback: not on a terminal: pass --yes%s%s (with --backup "
		        "and --rehearse as wanted) to roll back without questions, or --json to "
		        "review the proposal\n",
		        c->cfg.production ? " --confirm-database " : "",
		        c->cfg.production ? c->url.dbname : "");
		return false;
	}
	return true;
}

/* Nothing to roll back: the version table as it is, not the target's name. */
static void rollback_nothing(struct cli_ctx *c, const struct rollback *r)
{
	fprintf(c->out, "Nothing to roll back: nothing applied comes after %s; the "
	        "database is at", r->target);
	for (uint32_t i = 0; i < r->nheads; i++)
		fprintf(c->out, " %s", r->heads[i]);
	fprintf(c->out, "%s.\n", r->nheads ? "" : " <base>");
}

static int run_rollback(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	struct cli_confirm given = cli_confirm_given(opts);
	bool yes = given.yes;
	if (!rollback_usage(c, argc, yes))
		return RT_EUSAGE;
	char *err = NULL;
	int rc = cli_db_read(c, &err);
	if (rc != RT_OK)
		return cli_report(c, rc, err);
	const char *spec = argv[1];
	struct target t = {c, PLAN_DOWNGRADE, &spec, 1, false, false, false, given};
	struct rollback *r = NULL;
	rc = rollback_proposal(c, &t, &r, &err);
	if (rc != RT_OK)
		return cli_report(c, rc, err);
	struct strbuf json = STRBUF_INIT;
	if (c->json)
		rollback_json(c, r, &json);
	else if (r->plan->n == 0)
		rollback_nothing(c, r);
	else
		rollback_show(c, r, c->verbose || !yes);
	if (r->plan->n == 0 || (c->json && !yes))
		goto out;
	/* Production mode: the name is typed last, on a terminal; off one,
	 * a refusal comes before any backup. */
	bool typed = r->reasons && c->interactive && !(yes && given.database) && !c->json;
	if (!typed) {
		rc = cli_production_confirm(c, &given, "rollback", "roll back", r->reasons, &err);
		if (rc != RT_OK)
			goto out;
	}
	char *backup_path = NULL;
	rc = rollback_backup(c, cli_flag(opts, "backup"), yes, &backup_path, &err);
	struct progress pr;
	progress_of(&pr, c, "rollback", false);
	struct run_opts o = {
		.mode = c->cfg.transaction_mode,
		.lock_wait = cli_lock_wait(c),
		.on_step = on_step, .on_progress = on_progress, .ctx = &pr,
		.expect = r->expect, .delegate = cli_delegate(c),
	};
	if (rc == RT_OK)
		rc = rollback_rehearse(c, &t, &o, cli_flag(opts, "rehearse"), yes, &err);
	if (rc == RT_OK && typed) {
		rc = cli_production_confirm(c, &given, "rollback", "roll back", r->reasons, &err);
		if (rc != RT_OK)
			fprintf(c->out, "Not rolled back: nothing changed.\n");
	} else if (rc == RT_OK && !yes && !ask(c, "Roll back now?", false)) {
		fprintf(c->out, "Not rolled back: nothing changed.\n");
		rc = RT_EFAIL;
	}
	if (rc == RT_OK) {
		struct plan *done = NULL;
		double t0 = now_monotonic();
		rc = run_locked(c->db, c->graph, build_plan, &t, &o, &done, &err);
		rollback_report(c, rc, done, backup_path, (now_monotonic() - t0) * 1000.0, c->json ? &json : NULL);
		plan_free(done);
	}
	free(backup_path);
out:
	if (c->json && rc == RT_OK) {
		sb_adds(&json, "}\n");
		fputs(sb_str(&json), c->out);
	}
	sb_free(&json);
	rollback_free(r);
	return cli_report(c, rc, err);
}

const struct cmd_entry cmd_rollback = {
	"rollback", "TARGET", "guided downgrade: plan, data loss, backup, rehearsal, confirmation",
	rollback_opts, CMD_NEEDS_GRAPH | CMD_NEEDS_DB, run_rollback, CMD_ARG_REVISION,
};
