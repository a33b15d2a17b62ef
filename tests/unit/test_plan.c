/* test_plan.c: the planner against a model. Random histories (branches,
 * merges, several bases, Depends On) are written as scripts and loaded;
 * random database states are checked against what upgrade and downgrade
 * must do, computed here by a deliberately simple model over plain
 * adjacency arrays: every step's precondition holds when it runs, the
 * final version table is the set's heads, and a downgrade to a revision
 * that is not applied is refused. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "graph.h"
#include "plan.h"
#include "script.h"
#include "tap.h"

#define MAXN 24

struct model {
	int n;
	int npar[MAXN], par[MAXN][2];
	int ndep[MAXN], dep[MAXN][2];
	char id[MAXN][16];
};

static unsigned seed = 12345;
static unsigned rnd(unsigned n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 16) % n;
}

/* a is an ancestor of b (or b itself) through parents and, with deps,
 * through Depends On too. */
static bool anc(const struct model *m, int a, int b, bool deps)
{
	if (a == b)
		return true;
	for (int i = 0; i < m->npar[b]; i++)
		if (anc(m, a, m->par[b][i], deps))
			return true;
	for (int i = 0; deps && i < m->ndep[b]; i++)
		if (anc(m, a, m->dep[b][i], deps))
			return true;
	return false;
}

static void random_model(struct model *m)
{
	memset(m, 0, sizeof(*m));
	m->n = 1 + (int)rnd(MAXN);
	for (int i = 0; i < m->n; i++) {
		snprintf(m->id[i], sizeof m->id[i], "r%02d", i);
		if (i == 0 || rnd(10) == 0)
			continue;
		m->par[i][m->npar[i]++] = (int)rnd((unsigned)i);
		if (i > 1 && rnd(4) == 0) {
			int q = (int)rnd((unsigned)i), p = m->par[i][0];
			if (!anc(m, q, p, false) && !anc(m, p, q, false))
				m->par[i][m->npar[i]++] = q;
		}
		if (i > 1 && rnd(6) == 0) {
			int d = (int)rnd((unsigned)i);
			if (!anc(m, d, i, false))
				m->dep[i][m->ndep[i]++] = d;
		}
	}
}

static char dir[64];

static void write_model(const struct model *m)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -f %s/*.sql", dir);
	if (system(cmd) != 0)
		exit(1);
	for (int i = 0; i < m->n; i++) {
		const char *parents[2], *deps[2];
		for (int k = 0; k < m->npar[i]; k++)
			parents[k] = m->id[m->par[i][k]];
		for (int k = 0; k < m->ndep[i]; k++)
			deps[k] = m->id[m->dep[i][k]];
		char date[32];
		snprintf(date, sizeof date, "2026-01-01 00:%02d:00", i);
		struct script_new sn = {m->id[i], "step", date, parents, (uint32_t)m->npar[i],
		                        NULL, 0, deps, (uint32_t)m->ndep[i], "SELECT 1;\n",
		                        "SELECT 2;\n", false};
		char *text = script_render(&sn);
		char path[128];
		snprintf(path, sizeof path, "%s/%s.sql", dir, m->id[i]);
		FILE *f = fopen(path, "w");
		if (!f || fputs(text, f) < 0 || fclose(f) != 0)
			exit(1);
		free(text);
	}
}

/* The heads of an applied set: applied revisions without an applied child. */
static int heads_of(const struct model *m, const bool *set, const char **out)
{
	int n = 0;
	for (int r = 0; r < m->n; r++) {
		if (!set[r])
			continue;
		bool child = false;
		for (int c = 0; c < m->n && !child; c++)
			for (int k = 0; k < m->npar[c]; k++)
				child |= set[c] && m->par[c][k] == r;
		if (!child)
			out[n++] = m->id[r];
	}
	return n;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int failures[4];
static char first_failure[4][512];

static void fail(int kind, const char *fmt, const char *a, const char *b)
{
	if (!failures[kind]++)
		snprintf(first_failure[kind], sizeof first_failure[kind], fmt, a, b);
}

/* Checks one plan against the model; kind 0 upgrade, 1 downgrade. */
static void check_plan(const struct model *m, const struct graph *g, const struct plan *p,
                       bool *set, const bool *want, int kind, const char *target)
{
	for (uint32_t i = 0; i < p->n; i++) {
		int r = graph_find(g, p->steps[i].rev_id);
		if (kind == 0) {
			bool ready = !set[r];
			for (int k = 0; k < m->npar[r]; k++)
				ready &= set[m->par[r][k]];
			for (int k = 0; k < m->ndep[r]; k++)
				ready &= set[m->dep[r][k]];
			if (!ready)
				fail(0, "upgrade %s: step %s before its parents or dependencies", target,
				     m->id[r]);
			set[r] = true;
		} else {
			bool ready = set[r];
			for (int c = 0; c < m->n; c++) {
				for (int k = 0; k < m->npar[c]; k++)
					ready &= !(set[c] && m->par[c][k] == r);
				for (int k = 0; k < m->ndep[c]; k++)
					ready &= !(set[c] && m->dep[c][k] == r);
			}
			if (!ready)
				fail(1, "downgrade %s: step %s while a child or dependent is applied",
				     target, m->id[r]);
			set[r] = false;
		}
	}
	for (int r = 0; r < m->n; r++)
		if (set[r] != want[r])
			fail(kind, "%s %s: the applied set differs from the model's", kind ? "downgrade"
			                                                                    : "upgrade",
			     target);
	const char *h[MAXN];
	int nh = heads_of(m, set, h);
	qsort(h, (size_t)nh, sizeof(*h), cmp_str);
	bool same = (uint32_t)nh == p->nfinal;
	for (int i = 0; same && i < nh; i++)
		same = strcmp(h[i], p->final_heads[i]) == 0;
	if (!same)
		fail(kind, "%s %s: the final version table is not the set's heads",
		     kind ? "downgrade" : "upgrade", target);
}

static void one_state(const struct model *m, const struct graph *g)
{
	/* a random applied set, closed under parents and dependencies */
	bool applied[MAXN] = {0};
	for (int r = 0; r < m->n; r++)
		if (rnd(3) == 0)
			for (int a = 0; a < m->n; a++)
				applied[a] |= anc(m, a, r, true);
	const char *rows[MAXN];
	int nrows = heads_of(m, applied, rows);
	int t = (int)rnd((unsigned)m->n);
	uint32_t tv = (uint32_t)graph_find(g, m->id[t]);
	struct revset target = {&tv, 1, false, NULL, 0};
	char *err = NULL;
	struct plan *p = NULL;

	/* upgrade t: the applied set plus t's ancestors and dependencies */
	bool want[MAXN], set[MAXN];
	for (int r = 0; r < m->n; r++)
		want[r] = applied[r] || anc(m, r, t, true);
	int rc = plan_build(g, PLAN_UPGRADE, rows, (uint32_t)nrows, &target, false, &p, &err);
	if (rc != RT_OK) {
		fail(0, "upgrade %s failed: %s", m->id[t], err ? err : "");
	} else {
		memcpy(set, applied, sizeof set);
		check_plan(m, g, p, set, want, 0, m->id[t]);
	}
	plan_free(p);
	free(err);
	p = NULL;
	err = NULL;

	/* downgrade t: refused unless applied; else t's applied descendants
	 * go, with what depends on them, and t's ancestors stay */
	rc = plan_build(g, PLAN_DOWNGRADE, rows, (uint32_t)nrows, &target, false, &p, &err);
	if (!applied[t]) {
		if (rc != RT_EINPUT || !err || !strstr(err, "is not applied"))
			fail(2, "downgrade %s (not applied) was not refused%s", m->id[t],
			     rc == RT_OK ? "" : " as it should be");
	} else if (rc != RT_OK) {
		fail(1, "downgrade %s failed: %s", m->id[t], err ? err : "");
	} else {
		bool gone[MAXN] = {0};
		for (bool grew = true; grew;) {
			grew = false;
			for (int r = 0; r < m->n; r++) {
				if (gone[r] || !applied[r] || anc(m, r, t, false))
					continue;
				bool go = false;
				for (int k = 0; k < m->npar[r]; k++)
					go |= m->par[r][k] == t || gone[m->par[r][k]];
				for (int k = 0; k < m->ndep[r]; k++)
					go |= gone[m->dep[r][k]];
				if (go)
					gone[r] = grew = true;
			}
		}
		for (int r = 0; r < m->n; r++)
			want[r] = applied[r] && !gone[r];
		memcpy(set, applied, sizeof set);
		check_plan(m, g, p, set, want, 1, m->id[t]);
	}
	plan_free(p);
	free(err);

	/* downgrade base: everything applied goes */
	p = NULL;
	err = NULL;
	struct revset base = {0};
	rc = plan_build(g, PLAN_DOWNGRADE, rows, (uint32_t)nrows, &base, false, &p, &err);
	if (rc != RT_OK) {
		fail(3, "downgrade base failed: %s%s", err ? err : "", "");
	} else {
		bool none[MAXN] = {0};
		memcpy(set, applied, sizeof set);
		check_plan(m, g, p, set, none, 1, "base");
	}
	plan_free(p);
	free(err);
}

int main(void)
{
	setenv("RETORT_CACHE", "off", 1);
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/rt-plan-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	int graphs = 0, states = 0;
	for (int i = 0; i < 300; i++) {
		struct model m;
		random_model(&m);
		write_model(&m);
		struct graph *g = NULL;
		char *err = NULL;
		if (graph_load(dir, &g, &err) != RT_OK) {
			fail(3, "a random history did not load: %s%s", err ? err : "", "");
			free(err);
			continue;
		}
		graphs++;
		for (int k = 0; k < 12; k++, states++)
			one_state(&m, g);
		graph_free(g);
	}
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	ok(graphs == 300, "300 random histories load (%d)", graphs);
	const char *what[] = {"upgrade: steps in order, the model's applied set and heads",
	                      "downgrade: steps in order, the model's applied set and heads",
	                      "downgrade to a revision that is not applied is refused",
	                      "downgrade base reverts everything"};
	for (int k = 0; k < 4; k++)
		if (!ok(failures[k] == 0, "%s (%d states)", what[k], states))
			printf("#   %d failures; the first: %s\n", failures[k], first_failure[k]);
	return done_testing();
}
