/* fuzz_spec.c: spec_resolve and spec_range on arbitrary specifiers.
 *
 * Each input is resolved in two fixture graphs (tests/data/branchy and
 * tests/data/labels), each with no database and with several database
 * states, among them one that no upgrade could produce (a revision applied
 * together with its ancestor), since a version table can be edited by
 * hand. A result must be a sorted set of revisions of the graph; a failure
 * must say why and return nothing. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "spec.h"

/* A database state: the ids of the current revisions, blank-separated;
 * NULL for "no database". */
static const char *const branchy_states[] = {NULL, "", "t2", "a1 b2", "x1 y1", "t1 a2"};
static const char *const labels_states[] = {
	NULL, "", "aa1100000001", "ac1100000002 bd2200000002", "e2e200000003",
};

#define MAX_STATES 8
#define MAX_CURRENT 4

struct fixture {
	struct graph *g;
	struct spec_ctx ctx[MAX_STATES];
	uint32_t current[MAX_STATES][MAX_CURRENT];
	size_t nctx;
};

static struct fixture fixtures[2];

static void load(struct fixture *f, const char *name, const char *const *states,
                 size_t nstates)
{
	char *dir = xasprintf("%s/tests/data/%s/versions", RT_SRCDIR, name);
	char *err = NULL;
	fuzz_check(graph_load(dir, &f->g, &err) == RT_OK, "cannot load %s: %s", dir, err);
	free(dir);
	fuzz_check(nstates <= MAX_STATES, "too many states");
	for (size_t i = 0; i < nstates; i++) {
		struct spec_ctx *c = &f->ctx[i];
		c->g = f->g;
		c->current = f->current[i];
		c->have_db = states[i] != NULL;
		char *ids = xstrdup(states[i] ? states[i] : "");
		for (char *save, *id = strtok_r(ids, " ", &save); id;
		     id = strtok_r(NULL, " ", &save)) {
			int32_t x = graph_find(f->g, id);
			fuzz_check(x >= 0 && c->ncurrent < MAX_CURRENT, "fixture %s: '%s'", name, id);
			f->current[i][c->ncurrent++] = (uint32_t)x;
		}
		free(ids);
	}
	f->nctx = nstates;
}

static void unload(void)
{
	for (size_t i = 0; i < RT_ARRAY_LEN(fixtures); i++)
		graph_free(fixtures[i].g);
}

FUZZ_INIT(spec)
{
	load(&fixtures[0], "branchy", branchy_states, RT_ARRAY_LEN(branchy_states));
	load(&fixtures[1], "labels", labels_states, RT_ARRAY_LEN(labels_states));
	atexit(unload);
	return 0;
}

static void check_set(const struct graph *g, const uint32_t *v, uint32_t n,
                      const char *spec, const char *what)
{
	for (uint32_t i = 0; i < n; i++) {
		fuzz_check(v[i] < g->n, "'%s': %s holds %u of %u revisions", spec, what,
		           v[i], g->n);
		fuzz_check(i == 0 || v[i - 1] < v[i], "'%s': %s is not a sorted set", spec, what);
	}
}

static void check_revset(const struct graph *g, const struct revset *r, const char *spec)
{
	check_set(g, r->v, r->n, spec, "the result");
	check_set(g, r->roots, r->nroots, spec, "the roots");
}

static bool is_empty(const struct revset *r)
{
	return !r->v && !r->n && !r->roots && !r->nroots && !r->below;
}

/* What every failure must look like. */
static void check_failure(const struct spec_ctx *c, int rc, const char *err,
                          const char *spec)
{
	fuzz_check(rc == RT_EINPUT || (rc == RT_EUSAGE && !c->have_db),
	           "'%s': status %d", spec, rc);
	fuzz_check(err && *err, "'%s' failed without a message", spec);
}

static void resolve(const struct spec_ctx *c, const char *spec)
{
	struct revset r;
	char *err = NULL;
	int rc = spec_resolve(c, spec, &r, &err);
	if (rc == RT_OK) {
		fuzz_check(!err, "'%s' resolved with an error: %s", spec, err);
		check_revset(c->g, &r, spec);
		revset_free(&r);
	} else {
		check_failure(c, rc, err, spec);
		fuzz_check(is_empty(&r), "'%s' failed but returned revisions", spec);
	}
	free(err);
}

static void range(const struct spec_ctx *c, const char *spec)
{
	struct revset from, to;
	bool has_from, has_to;
	char *err = NULL;
	int rc = spec_range(c, spec, &from, &has_from, &to, &has_to, &err);
	if (rc == RT_OK) {
		fuzz_check(!err, "'%s' resolved with an error: %s", spec, err);
		check_revset(c->g, &from, spec);
		check_revset(c->g, &to, spec);
		fuzz_check(has_from || is_empty(&from), "'%s': a from set that is absent", spec);
		fuzz_check(has_to || is_empty(&to), "'%s': a to set that is absent", spec);
		if (!strchr(spec, ':'))
			fuzz_check(has_from && has_to && from.n == to.n &&
			           (to.n == 0 || memcmp(from.v, to.v, to.n * sizeof *to.v) == 0),
			           "'%s': one revision must be both ends", spec);
		revset_free(&from);
		revset_free(&to);
	} else {
		check_failure(c, rc, err, spec);
		fuzz_check(is_empty(&from) && is_empty(&to) && !has_from && !has_to,
		           "'%s' failed but returned revisions", spec);
	}
	free(err);
}

FUZZ_ONE(spec)
{
	char *spec = fuzz_cstr(data, size);
	if (!spec)
		return 0;
	for (size_t i = 0; i < RT_ARRAY_LEN(fixtures); i++)
		for (size_t k = 0; k < fixtures[i].nctx; k++) {
			resolve(&fixtures[i].ctx[k], spec);
			range(&fixtures[i].ctx[k], spec);
		}
	free(spec);
	return 0;
}
