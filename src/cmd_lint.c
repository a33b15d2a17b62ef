/* cmd_lint.c: `retort lint [SPEC…]`: the findings of lint.h for the
 * selected revisions, as `FILE:LINE: RULE: message (fix: …)` lines or a
 * JSON array, and an exit status for CI. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lint.h"
#include "out.h"
#include "spec.h"

static const struct cmd_opt lint_opts[] = {
	{"dialect", 0, "DIALECT", "sqlite or postgresql (default: the configured database's; sqlite when none)",
	 CMD_ARG_CHOICE, "sqlite postgresql"},
	{"direction", 0, "DIRECTION", "up: the upgrade sections only; down: the downgrade sections only, data loss ranking as an error (default: both)",
	 CMD_ARG_CHOICE, "up down"},
	{"fail-on", 0, "SEVERITY", "exit 1 on a finding this severe or worse: error, warning (default), info; none never",
	 CMD_ARG_CHOICE, "error warning info none"},
	{"rules", 0, NULL, "list every rule: severity, dialect, reason and fix"},
	{NULL, 0, NULL, NULL},
};

/* ,"key":"value" (or {"key":"value" opening an object) */
static void json_field(struct strbuf *sb, bool first, const char *key, const char *val)
{
	sb_addf(sb, first ? "{\"%s\":" : ",\"%s\":", key);
	sb_add_json_str(sb, val);
}

static void print_rules(struct cli_ctx *c)
{
	struct strbuf sb = STRBUF_INIT;
	if (c->json)
		sb_addc(&sb, '[');
	for (int i = 0; i < LINT_NRULES; i++) {
		const struct lint_rule_info *ri = &lint_rules[i];
		if (!c->json) {
			sb_addf(&sb, "%s (%s, %s%s)\n    %s\n    fix: %s\n", ri->id,
			        lint_severity_name(ri->severity), lint_dialects_name(ri->dialects),
			        ri->data_loss ? ", data loss" : "", ri->reason, ri->fix);
			continue;
		}
		if (i)
			sb_addc(&sb, ',');
		json_field(&sb, true, "id", ri->id);
		json_field(&sb, false, "severity", lint_severity_name(ri->severity));
		json_field(&sb, false, "dialect", lint_dialects_name(ri->dialects));
		sb_addf(&sb, ",\"data_loss\":%s", ri->data_loss ? "true" : "false");
		json_field(&sb, false, "reason", ri->reason);
		json_field(&sb, false, "fix", ri->fix);
		sb_addc(&sb, '}');
	}
	if (c->json)
		sb_adds(&sb, "]\n");
	fputs(sb_str(&sb), c->out);
	sb_free(&sb);
}

/* o (--dialect), else the configured database's, else SQLite: linting
 * needs no database, only to know which one the scripts are written for. */
static int pick_dialect(struct cli_ctx *c, const char *o, enum sql_dialect *d, char **err)
{
	if (o) {
		if (strcmp(o, "sqlite") == 0)
			*d = SQL_SQLITE;
		else if (strcmp(o, "postgresql") == 0 || strcmp(o, "postgres") == 0)
			*d = SQL_POSTGRES;
		else
			return rt_err(err, RT_EUSAGE,
			              "--dialect takes sqlite or postgresql, not '%s'", o);
		return RT_OK;
	}
	int rc = cli_config(c, err);
	if (rc != RT_OK)
		return rc;
	rc = cli_url(c, err);
	if (rc == RT_EUSAGE) {   /* no database configured */
		free(*err);
		*err = NULL;
		*d = SQL_SQLITE;
		return RT_OK;
	}
	if (rc == RT_OK)
		*d = c->url.backend == DB_POSTGRES ? SQL_POSTGRES : SQL_SQLITE;
	return rc;
}

/* The revisions to report (SPECs and A:B ranges, or all) and, to learn
 * the schema from, their ancestors and dependencies. */
static int select_revisions(struct cli_ctx *c, int argc, char **argv,
                            struct bitset *report, struct bitset *learn, char **err)
{
	const struct graph *g = c->graph;
	struct spec_ctx sc = {.g = g};
	bitset_init(report, g->n);
	bitset_init(learn, g->n);
	int rc = RT_OK;
	/* lint connects only to read the current revision a SPEC names */
	uint32_t *cur = NULL;
	for (int a = 1; a < argc && !sc.have_db; a++) {
		if (!spec_mentions_current(argv[a]))
			continue;
		rc = cli_current_revs(c, &cur, &sc.ncurrent, err);
		if (rc != RT_OK)
			goto out;
		sc.current = cur;
		sc.have_db = true;
	}
	if (argc < 2)
		for (uint32_t i = 0; i < g->n; i++)
			bitset_set(report, i);
	for (int a = 1; a < argc; a++) {
		if (strchr(argv[a], ':')) {  /* a range, as history -r takes */
			rc = spec_range_set(&sc, argv[a], report, err);
			if (rc != RT_OK)
				goto out;
			continue;
		}
		struct revset rs;
		rc = spec_resolve(&sc, argv[a], &rs, err);
		if (rc != RT_OK)
			goto out;
		for (uint32_t i = 0; i < rs.n; i++)
			bitset_set(report, rs.v[i]);
		revset_free(&rs);
	}
	for (uint32_t i = 0; i < g->n; i++)
		if (bitset_get(report, i))
			graph_ancestors(g, i, true, learn);
out:
	free(cur);
	return rc;
}

static void print_findings(struct cli_ctx *c, const struct lint_findings *f)
{
	struct strbuf sb = STRBUF_INIT;
	if (c->json)
		sb_addc(&sb, '[');
	for (uint32_t i = 0; i < f->n; i++) {
		const struct lint_finding *x = &f->v[i];
		const struct lint_rule_info *ri = &lint_rules[x->rule];
		if (!c->json) {
			sb_addf(&sb, "%s:%u: %s: %s (fix: %s)\n", x->file, (unsigned)x->line,
			        ri->id, x->message, ri->fix);
			continue;
		}
		if (i)
			sb_addc(&sb, ',');
		json_field(&sb, true, "file", x->file);
		sb_addf(&sb, ",\"line\":%u", (unsigned)x->line);
		json_field(&sb, false, "rule", ri->id);
		json_field(&sb, false, "severity", lint_severity_name(x->severity));
		json_field(&sb, false, "section",
		           x->section == SCRIPT_DOWNGRADE ? "downgrade" : "upgrade");
		json_field(&sb, false, "message", x->message);
		json_field(&sb, false, "fix", ri->fix);
		json_field(&sb, false, "revision", x->revision);
		sb_addc(&sb, '}');
	}
	if (c->json)
		sb_adds(&sb, "]\n");
	fputs(sb_str(&sb), c->out);
	sb_free(&sb);
}

static void print_summary(struct cli_ctx *c, const struct lint_findings *f,
                          uint32_t nrevs)
{
	uint32_t count[3] = {0, 0, 0};
	for (uint32_t i = 0; i < f->n; i++)
		count[f->v[i].severity]++;
	if (f->n == 0)
		fprintf(c->errf, "lint: no findings in %u revision%s\n", (unsigned)nrevs,
		        nrevs == 1 ? "" : "s");
	else
		fprintf(c->errf, "lint: %u error%s, %u warning%s, %u info in %u revision%s\n",
		        (unsigned)count[LINT_ERROR], count[LINT_ERROR] == 1 ? "" : "s",
		        (unsigned)count[LINT_WARNING], count[LINT_WARNING] == 1 ? "" : "s",
		        (unsigned)count[LINT_INFO], (unsigned)nrevs, nrevs == 1 ? "" : "s");
}

static int run_lint(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	if (cli_flag(opts, "rules")) {
		print_rules(c);
		return RT_OK;
	}
	char *err = NULL;
	const char *fo = cli_opt(opts, "fail-on");
	enum lint_severity fail_on = LINT_WARNING;
	bool never = fo && strcmp(fo, "none") == 0;
	if (fo && !never && !lint_severity_parse(fo, &fail_on))
		return cli_report(c, RT_EUSAGE, xasprintf(
			"--fail-on takes error, warning, info or none, not '%s'", fo));
	const char *dir = cli_opt(opts, "direction");
	enum lint_direction direction = LINT_BOTH;
	if (dir && !lint_direction_parse(dir, &direction))
		return cli_report(c, RT_EUSAGE, xasprintf(
			"--direction takes up or down, not '%s'", dir));
	enum sql_dialect dialect = SQL_SQLITE;
	int rc = pick_dialect(c, cli_opt(opts, "dialect"), &dialect, &err);
	if (rc == RT_OK)
		rc = cli_graph(c, &err);
	if (rc != RT_OK)
		return cli_report(c, rc, err);

	struct bitset report, learn;
	rc = select_revisions(c, argc, argv, &report, &learn, &err);
	struct lint *l = lint_new(dialect);
	lint_set_direction(l, direction);
	struct lint_findings f;
	lint_findings_init(&f);
	uint32_t nrevs = 0;
	for (uint32_t k = 0; rc == RT_OK && k < c->graph->n; k++) {
		if (!bitset_get(&learn, k))
			continue;
		bool rep = bitset_get(&report, k);
		nrevs += rep;
		rc = lint_script(l, &c->graph->nodes[k].s, rep, &f, &err);
	}
	if (rc == RT_OK) {
		print_findings(c, &f);
		if (!c->quiet && !c->json)
			print_summary(c, &f, nrevs);
		for (uint32_t i = 0; i < f.n && !never; i++)
			if (f.v[i].severity >= fail_on)
				rc = RT_EFOUND;
	}
	lint_findings_free(&f);
	lint_free(l);
	bitset_free(&report);
	bitset_free(&learn);
	return cli_report(c, rc, err);
}

const struct cmd_entry cmd_lint = {
	"lint", "[SPEC|A:B…]",
	"flag dangerous operations in scripts: data loss, long locks, failures",
	lint_opts, CMD_TARGETS, run_lint, CMD_ARG_REVISION,
};
