/* test_policy.c: production mode's policy on plans of the demo history:
 * which plans need the database's name, the findings every confirmation
 * shows (worst first, severity by direction), and the typed name. Also the
 * labels that name a line (graph_line_labelled). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "plan.h"
#include "policy.h"
#include "tap.h"

static struct graph *g;

static uint32_t id(const char *rev)
{
	int32_t i = graph_find(g, rev);
	if (i < 0) {
		printf("Bail out! no revision %s\n", rev);
		exit(1);
	}
	return (uint32_t)i;
}

/* The plan from heads (space-separated, "" for none) to the targets. */
static struct plan *plan(enum plan_kind kind, const char *heads, const char *t1,
                         const char *t2, bool purge)
{
	char *copy = xstrdup(heads);
	const char *v[8];
	uint32_t n = 0;
	for (char *w = strtok(copy, " "); w && n < 8; w = strtok(NULL, " "))
		v[n++] = w;
	uint32_t targets[2];
	uint32_t nt = 0;
	if (t1)
		targets[nt++] = id(t1);
	if (t2)
		targets[nt++] = id(t2);
	struct revset r = {targets, nt, false, NULL, 0};
	struct plan *p = NULL;
	char *err = NULL;
	if (plan_build(g, kind, v, n, &r, purge, &p, &err) != RT_OK) {
		printf("Bail out! plan: %s\n", err);
		exit(1);
	}
	free(copy);
	return p;
}

/* What the policy says of a plan, in words ("" when nothing). */
static char *verdict(const struct config *cfg, struct plan *p)
{
	struct lint_findings f;
	lint_findings_init(&f);
	char *err = NULL;
	if (policy_findings(g, p, SQL_SQLITE, &f, &err) != RT_OK)
		printf("# %s\n", err);
	free(err);
	struct strbuf sb = STRBUF_INIT;
	policy_describe(policy_check(cfg, g, p, &f), &sb);
	lint_findings_free(&f);
	plan_free(p);
	return sb_detach(&sb);
}

#define VERDICT(cfg, p, want, ...) do { char *v_ = verdict(cfg, p); \
	is_str(v_, want, __VA_ARGS__); free(v_); } while (0)

static void test_check(void)
{
	struct config on, off;
	config_defaults(&on);
	config_defaults(&off);
	on.production = true;

	VERDICT(&off, plan(PLAN_DOWNGRADE, "041584a9edb9", "532afb069296", NULL, false), "",
	        "production off: nothing asks");
	VERDICT(&on, plan(PLAN_DOWNGRADE, "041584a9edb9", "532afb069296", NULL, false),
	        "a downgrade and statements that lose data", "a downgrade that drops tables");
	VERDICT(&on, plan(PLAN_DOWNGRADE, "041584a9edb9", "041584a9edb9", NULL, false), "",
	        "a downgrade with nothing to do asks nothing");
	VERDICT(&on, plan(PLAN_UPGRADE, "", "041584a9edb9", NULL, false), "",
	        "an upgrade that loses no data asks nothing");
	VERDICT(&on, plan(PLAN_STAMP, "041584a9edb9", "532afb069296", NULL, false),
	        "a stamp that moves a head backwards", "a stamp backwards");
	VERDICT(&on, plan(PLAN_STAMP, "", NULL, NULL, false), "", "stamp base of nothing: no change");
	VERDICT(&on, plan(PLAN_STAMP, "532afb069296", NULL, NULL, false),
	        "a stamp that moves a head backwards", "stamp base");
	VERDICT(&on, plan(PLAN_STAMP, "532afb069296", "041584a9edb9", NULL, false), "",
	        "a stamp forward asks nothing");
	VERDICT(&on, plan(PLAN_STAMP, "dd1123f32f48", "041584a9edb9", "453fe4207322", false),
	        "a stamp that drops a head",
	        "a head replaced by a revision that is neither its ancestor nor its descendant");
	VERDICT(&on, plan(PLAN_STAMP, "041584a9edb9", "041584a9edb9", NULL, true),
	        "a stamp --purge", "--purge, even to the same revision");
	VERDICT(&on, plan(PLAN_STAMP, "zz99 041584a9edb9", "041584a9edb9", NULL, true),
	        "a stamp that drops a head and a stamp --purge",
	        "--purge of a row no script defines drops it");
	config_free(&on);
	config_free(&off);
}

static void test_findings(void)
{
	struct plan *p = plan(PLAN_DOWNGRADE, "041584a9edb9", "c0f44988ee9d", NULL, false);
	struct lint_findings f;
	lint_findings_init(&f);
	char *err = NULL;
	ok(policy_findings(g, p, SQL_POSTGRES, &f, &err) == RT_OK, "findings of a downgrade");
	struct strbuf sb = STRBUF_INIT;
	for (uint32_t i = 0; i < f.n; i++)
		sb_addf(&sb, "%s%s/%s/%s", i ? " " : "", f.v[i].revision, lint_rules[f.v[i].rule].id,
		        lint_severity_name(f.v[i].severity));
	is_str(sb_str(&sb), "041584a9edb9/drop-table/error 3dcd61aad93b/drop-table/error",
	       "the downgrade sections only, data loss as errors, in the plan's order");
	ok(policy_data_loss(&f), "they lose data");
	sb_free(&sb);
	lint_findings_free(&f);
	plan_free(p);

	p = plan(PLAN_UPGRADE, "", "2b604fab0cca", NULL, false);
	lint_findings_init(&f);
	ok(policy_findings(g, p, SQL_POSTGRES, &f, &err) == RT_OK, "findings of an upgrade");
	sb_init(&sb);
	for (uint32_t i = 0; i < f.n; i++)
		sb_addf(&sb, "%s%s/%s", i ? " " : "", lint_rules[f.v[i].rule].id,
		        lint_severity_name(f.v[i].severity));
	is_str(sb_str(&sb), "create-index/warning update-without-where/warning create-index/warning",
	       "the upgrade sections only, in the plan's order");
	ok(!policy_data_loss(&f), "an UPDATE without WHERE is not data loss");
	sb_free(&sb);
	lint_findings_free(&f);
	plan_free(p);

	p = plan(PLAN_STAMP, "041584a9edb9", "532afb069296", NULL, false);
	lint_findings_init(&f);
	ok(policy_findings(g, p, SQL_POSTGRES, &f, &err) == RT_OK && f.n == 0,
	   "a stamp runs no SQL: no findings");
	lint_findings_free(&f);
	plan_free(p);
	free(err);
}

static void test_name(void)
{
	ok(policy_name_ok("app", "app"), "the name");
	ok(policy_name_ok("app\n", "app"), "the name as a line");
	ok(!policy_name_ok("ap\n", "app"), "a prefix is not the name");
	ok(!policy_name_ok("appx", "app"), "nor a longer word");
	ok(!policy_name_ok(" app", "app"), "nor with a space");
	ok(!policy_name_ok("app\n\n", "app"), "nor two lines");
	ok(!policy_name_ok("", ""), "an empty name never matches");
	ok(!policy_name_ok(NULL, "app"), "nothing typed is no match");
	ok(policy_names_ok("app", "app"), "a list of one name");
	ok(policy_names_ok("t01,app,t03", "app"), "a name among others");
	ok(policy_names_ok("t01,app", "app") && policy_names_ok("app,t01", "app"),
	   "first or last");
	ok(!policy_names_ok("t01,ap,appx", "app"), "neither a prefix nor a longer word");
	ok(!policy_names_ok("t01, app", "app"), "nor with a space");
	ok(!policy_names_ok(",,", "app") && !policy_names_ok("", ""), "empty names never match");
	ok(policy_names_ok("a,b", "a,b"), "a name with a comma, given whole");
	ok(!policy_names_ok(NULL, "app"), "no list is no match");
}

static void test_line_labels(void)
{
	ok(graph_line_labelled(g, id("dd1123f32f48")) == (int32_t)id("dd1123f32f48"),
	   "a revision that declares labels names its own line");
	ok(graph_line_labelled(g, id("453fe4207322")) == (int32_t)id("8cc5b122869d"),
	   "else the first one down its first parents that does");
	ok(graph_line_labelled(g, id("041584a9edb9")) == (int32_t)id("c0f44988ee9d"),
	   "through a merge, along its first parent");
	ok(graph_line_labelled(g, id("532afb069296")) == -1, "none below: no line label");
}

int main(void)
{
	char *err = NULL;
	if (graph_load(RT_SRCDIR "/migrations/versions", &g, &err) != RT_OK) {
		printf("Bail out! %s\n", err);
		return 1;
	}
	test_check();
	test_findings();
	test_name();
	test_line_labels();
	graph_free(g);
	return done_testing();
}
