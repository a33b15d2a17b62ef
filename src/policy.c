/* policy.c: see policy.h. */
#include "policy.h"

#include <stdlib.h>
#include <string.h>

/* A finding's place in the confirmation: worst first, then in the plan's
 * order (a downgrade runs children first), then as lint found them (by
 * line within a script). */
struct place {
	int severity;
	uint32_t step, index;
};

static int cmp_place(const void *a, const void *b)
{
	const struct place *x = a, *y = b;
	if (x->severity != y->severity)
		return y->severity - x->severity;
	if (x->step != y->step)
		return x->step < y->step ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void order_findings(const struct graph *g, const struct plan *p,
                           struct lint_findings *f, uint32_t first)
{
	uint32_t n = f->n - first;
	if (n < 2)
		return;
	uint32_t *step = xmalloc((g->n + 1) * sizeof(*step));
	for (uint32_t r = 0; r < g->n; r++)
		step[r] = UINT32_MAX;
	for (uint32_t i = 0; i < p->n; i++)
		if (p->steps[i].rev != PLAN_NO_REV)
			step[p->steps[i].rev] = i;
	struct place *pl = xmalloc(n * sizeof(*pl));
	for (uint32_t i = 0; i < n; i++) {
		int32_t x = graph_find(g, f->v[first + i].revision);
		pl[i] = (struct place){(int)f->v[first + i].severity,
		                       x >= 0 ? step[x] : UINT32_MAX, i};
	}
	qsort(pl, n, sizeof(*pl), cmp_place);
	struct lint_finding *sorted = xmalloc(n * sizeof(*sorted));
	for (uint32_t i = 0; i < n; i++)
		sorted[i] = f->v[first + pl[i].index];
	memcpy(f->v + first, sorted, n * sizeof(*sorted));
	free(sorted);
	free(pl);
	free(step);
}

int policy_findings(const struct graph *g, const struct plan *p, enum sql_dialect dialect,
                    struct lint_findings *out, char **err)
{
	if (p->kind == PLAN_STAMP || p->n == 0)
		return RT_OK;
	struct bitset report, learn;
	bitset_init(&report, g->n);
	bitset_init(&learn, g->n);
	uint32_t last = 0;
	for (uint32_t i = 0; i < p->n; i++) {
		uint32_t r = p->steps[i].rev;
		if (r == PLAN_NO_REV)
			continue;
		bitset_set(&report, r);
		bitset_set(&learn, r);
		if (r > last)
			last = r;
	}
	/* Their ancestors and dependencies: parents have smaller indices, so
	 * one pass downwards closes the set. */
	for (uint32_t r = last + 1; r-- > 0;) {
		if (!bitset_get(&learn, r))
			continue;
		const struct gnode *x = &g->nodes[r];
		for (uint32_t k = 0; k < x->nparents; k++)
			bitset_set(&learn, x->parents[k]);
		for (uint32_t k = 0; k < x->ndeps; k++)
			bitset_set(&learn, x->deps[k]);
	}
	struct lint *l = lint_new(dialect);
	lint_set_direction(l, p->kind == PLAN_DOWNGRADE ? LINT_DOWN : LINT_UP);
	uint32_t first = out->n;
	int rc = RT_OK;
	/* Ancestors first, so lint knows the columns and indexes they made. */
	for (uint32_t r = 0; r <= last && rc == RT_OK; r++)
		if (bitset_get(&learn, r))
			rc = lint_script(l, &g->nodes[r].s, bitset_get(&report, r), out, err);
	lint_free(l);
	bitset_free(&report);
	bitset_free(&learn);
	if (rc != RT_OK)
		return rc;
	order_findings(g, p, out, first);
	return RT_OK;
}

bool policy_data_loss(const struct lint_findings *f)
{
	for (uint32_t i = 0; f && i < f->n; i++)
		if (lint_rules[f->v[i].rule].data_loss)
			return true;
	return false;
}

/* How a stamp changes the version table: a row deleted with no descendant
 * of it (itself included) inserted moved backwards (when an ancestor of it
 * is inserted, or nothing is) or was dropped. */
static unsigned stamp_reasons(const struct graph *g, const struct plan_step *s)
{
	unsigned why = 0;
	for (uint32_t d = 0; d < s->ndel; d++) {
		int32_t h = graph_find(g, s->del[d]);
		bool forward = false, back = s->nins == 0;
		for (uint32_t i = 0; i < s->nins && h >= 0; i++) {
			int32_t t = graph_find(g, s->ins[i]);
			if (t < 0)
				continue;
			forward = forward || graph_is_ancestor(g, (uint32_t)h, (uint32_t)t);
			back = back || graph_is_ancestor(g, (uint32_t)t, (uint32_t)h);
		}
		if (!forward)
			why |= back ? POLICY_STAMP_BACK : POLICY_STAMP_DROP;
	}
	return why;
}

unsigned policy_check(const struct config *cfg, const struct graph *g,
                      const struct plan *p, const struct lint_findings *f)
{
	if (!cfg->production || p->n == 0)
		return 0;
	unsigned why = 0;
	if (p->kind == PLAN_DOWNGRADE)
		why |= POLICY_DOWNGRADE;
	if (p->purge)
		why |= POLICY_PURGE;
	for (uint32_t i = 0; i < p->n; i++)
		if (p->steps[i].dir == PLAN_STAMP)
			why |= stamp_reasons(g, &p->steps[i]);
	if (policy_data_loss(f))
		why |= POLICY_DATA_LOSS;
	return why;
}

void policy_describe(unsigned reasons, struct strbuf *out)
{
	static const struct {
		unsigned bit;
		const char *words;
	} names[] = {
		{POLICY_DOWNGRADE, "a downgrade"},
		{POLICY_STAMP_BACK, "a stamp that moves a head backwards"},
		{POLICY_STAMP_DROP, "a stamp that drops a head"},
		{POLICY_PURGE, "a stamp --purge"},
		{POLICY_DATA_LOSS, "statements that lose data"},
		{POLICY_RESOLVE, "recording how an interrupted step was settled"},
	};
	uint32_t n = 0, total = 0;
	for (size_t i = 0; i < RT_ARRAY_LEN(names); i++)
		total += (reasons & names[i].bit) != 0;
	for (size_t i = 0; i < RT_ARRAY_LEN(names); i++) {
		if (!(reasons & names[i].bit))
			continue;
		sb_adds(out, n == 0 ? "" : n + 1 == total ? " and " : ", ");
		sb_adds(out, names[i].words);
		n++;
	}
}

bool policy_name_ok(const char *typed, const char *dbname)
{
	size_t n = strlen(dbname);
	if (!typed || !*dbname || strncmp(typed, dbname, n) != 0)
		return false;
	return typed[n] == '\0' || (typed[n] == '\n' && typed[n + 1] == '\0');
}

bool policy_names_ok(const char *list, const char *dbname)
{
	if (list && *dbname && strcmp(list, dbname) == 0)  /* a name with a comma */
		return true;
	size_t n = strlen(dbname);
	for (const char *p = list; p && *dbname;) {
		size_t len = strcspn(p, ",");
		if (len == n && strncmp(p, dbname, n) == 0)
			return true;
		p = p[len] ? p + len + 1 : NULL;
	}
	return false;
}
