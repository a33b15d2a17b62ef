/* plan.c: the planner (retort(1) Migrating: upgrade / downgrade / stamp). */

#include "plan.h"

#include <stdlib.h>
#include <string.h>

#define PLAN_X(name, word, title, done) [name] = {word, title, done},
static const struct {
	const char *word, *title, *done;
} plan_kinds[] = {PLAN_KIND_LIST(PLAN_X)};
#undef PLAN_X

const char *plan_kind_word(enum plan_kind k)
{
	return plan_kinds[k].word;
}

enum script_section plan_kind_section(enum plan_kind k)
{
	return k == PLAN_UPGRADE ? SCRIPT_UPGRADE : SCRIPT_DOWNGRADE;
}

const char *plan_kind_title(enum plan_kind k)
{
	return plan_kinds[k].title;
}

const char *plan_kind_done(enum plan_kind k)
{
	return plan_kinds[k].done;
}

enum rt_status plan_heads_index(const struct graph *g, const char *const *heads,
                                uint32_t nheads, uint32_t **out, char **err)
{
	uint32_t *v = xmalloc((nheads ? nheads : 1) * sizeof(*v));
	for (uint32_t i = 0; i < nheads; i++) {
		int32_t x = graph_find(g, heads[i]);
		if (x < 0) {
			free(v);
			return rt_err(err, RT_EINPUT,
			    "the database is at revision '%s', which no script defines; "
			    "see 'retort check', or 'retort stamp --purge'", heads[i]);
		}
		v[i] = (uint32_t)x;
	}
	*out = v;
	return RT_OK;
}

/* The version table as a set of strings during planning. */
struct heads {
	const char **v;
	uint32_t n, cap;
};

static void heads_add(struct heads *h, const char *id)
{
	for (uint32_t i = 0; i < h->n; i++)
		if (strcmp(h->v[i], id) == 0)
			return;
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 8;
		h->v = xrealloc(h->v, h->cap * sizeof(*h->v));
	}
	h->v[h->n++] = id;
}

static bool heads_has(const struct heads *h, const char *id)
{
	for (uint32_t i = 0; i < h->n; i++)
		if (strcmp(h->v[i], id) == 0)
			return true;
	return false;
}

static bool heads_del(struct heads *h, const char *id)
{
	for (uint32_t i = 0; i < h->n; i++) {
		if (strcmp(h->v[i], id) == 0) {
			h->v[i] = h->v[--h->n];
			return true;
		}
	}
	return false;
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *heads_text(struct arena *a, struct heads *h)
{
	if (h->n > 1)
		qsort(h->v, h->n, sizeof(*h->v), cmp_cstr);
	struct strbuf sb = STRBUF_INIT;
	for (uint32_t i = 0; i < h->n; i++)
		sb_addf(&sb, "%s%s", i ? " " : "", h->v[i]);
	const char *s = arena_strdup(a, sb_str(&sb));
	sb_free(&sb);
	return s;
}

static const char **arena_strv(struct arena *a, const char *const *v, uint32_t n)
{
	const char **p = arena_alloc(a, (n ? n : 1) * sizeof(*p));
	for (uint32_t i = 0; i < n; i++)
		p[i] = v[i];
	return p;
}

struct builder {
	struct plan *p;
	struct heads h;
	uint32_t cap;
};

static struct plan_step *add_step(struct builder *b, enum plan_kind dir,
                                  uint32_t rev, const char *rev_id)
{
	struct plan *p = b->p;
	if (p->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		p->steps = xrealloc(p->steps, b->cap * sizeof(*p->steps));
	}
	struct plan_step *s = &p->steps[p->n++];
	memset(s, 0, sizeof(*s));
	s->dir = dir;
	s->rev = rev;
	s->rev_id = rev_id;
	s->heads_before = heads_text(&p->arena, &b->h);
	return s;
}

static void set_change(struct builder *b, struct plan_step *s,
                       const struct heads *del, const struct heads *ins)
{
	s->del = arena_strv(&b->p->arena, del->v, del->n);
	s->ndel = del->n;
	s->ins = arena_strv(&b->p->arena, ins->v, ins->n);
	s->nins = ins->n;
	for (uint32_t i = 0; i < del->n; i++)
		heads_del(&b->h, del->v[i]);
	for (uint32_t i = 0; i < ins->n; i++)
		heads_add(&b->h, ins->v[i]);
	s->heads_after = heads_text(&b->p->arena, &b->h);
}

static void applied_from(const struct graph *g, const uint32_t *cur, uint32_t n,
                         struct bitset *applied)
{
	for (uint32_t i = 0; i < n; i++)
		if (!bitset_get(applied, cur[i]))
			graph_ancestors(g, cur[i], true, applied);
}

static void plan_upgrade(const struct graph *g, struct builder *b,
                         const uint32_t *cur, uint32_t ncur,
                         const struct revset *target)
{
	/* LABEL@base is below the branch: none of it is needed */
	if (target->below)
		return;
	struct bitset applied, need;
	bitset_init(&applied, g->n);
	bitset_init(&need, g->n);
	applied_from(g, cur, ncur, &applied);
	for (uint32_t i = 0; i < target->n; i++)
		if (!bitset_get(&need, target->v[i]))
			graph_ancestors(g, target->v[i], true, &need);
	struct heads del = {0}, ins = {0};
	for (uint32_t r = 0; r < g->n; r++) {
		if (!bitset_get(&need, r) || bitset_get(&applied, r))
			continue;
		const struct gnode *x = &g->nodes[r];
		struct plan_step *s = add_step(b, PLAN_UPGRADE, r, x->s.rev);
		del.n = ins.n = 0;
		for (uint32_t j = 0; j < x->nparents; j++)
			for (uint32_t k = 0; k < b->h.n; k++)
				if (strcmp(b->h.v[k], g->nodes[x->parents[j]].s.rev) == 0)
					heads_add(&del, b->h.v[k]);
		heads_add(&ins, x->s.rev);
		set_change(b, s, &del, &ins);
		bitset_set(&applied, r);
	}
	free(del.v);
	free(ins.v);
	bitset_free(&applied);
	bitset_free(&need);
}

static int plan_downgrade(const struct graph *g, struct builder *b,
                          const uint32_t *cur, uint32_t ncur,
                          const struct revset *target, char **err)
{
	struct bitset applied, revert, keep;
	bitset_init(&applied, g->n);
	bitset_init(&revert, g->n);
	bitset_init(&keep, g->n);
	applied_from(g, cur, ncur, &applied);

	/* A downgrade goes back to an applied revision: to an unapplied one
	 * it would revert nothing (or something else), so it is refused before
	 * anything is written rather than reported as "nothing to do". */
	for (uint32_t i = 0; i < target->n && !target->below && !target->nroots; i++) {
		if (bitset_get(&applied, target->v[i]))
			continue;
		const char *id = g->nodes[target->v[i]].s.rev;
		struct strbuf at = STRBUF_INIT;
		for (uint32_t k = 0; k < ncur; k++)
			sb_addf(&at, "%s%s", k ? ", " : "", g->nodes[cur[k]].s.rev);
		rt_err(err, RT_EINPUT, "%s is not applied (the database is at %s); downgrade goes "
		       "back to an applied revision — did you mean 'upgrade %s'?",
		       id, ncur ? sb_str(&at) : "<base>", id);
		sb_free(&at);
		bitset_free(&applied);
		bitset_free(&revert);
		bitset_free(&keep);
		return RT_EINPUT;
	}

	/* Seeds: the target's applied children (or the target itself for
	 * LABEL@base; everything for base). The closure follows children and
	 * dependents within the applied set. */
	struct u32vec stack = {0};
	if (target->n == 0 && !target->nroots) {
		for (uint32_t r = 0; r < g->n; r++)
			if (bitset_get(&applied, r))
				u32vec_push(&stack, r);
	}
	for (uint32_t i = 0; i < target->nroots; i++)
		u32vec_push(&stack, target->roots[i]);
	for (uint32_t i = 0; i < target->n; i++) {
		const struct gnode *t = &g->nodes[target->v[i]];
		if (target->nroots) {
			graph_ancestors(g, target->v[i], false, &keep);
		} else if (target->below) {
			u32vec_push(&stack, target->v[i]);
		} else {
			graph_ancestors(g, target->v[i], false, &keep);
			for (uint32_t j = 0; j < t->nchildren; j++)
				u32vec_push(&stack, t->children[j]);
		}
	}
	while (stack.n) {
		uint32_t r = stack.v[--stack.n];
		if (!bitset_get(&applied, r) || bitset_get(&revert, r) || bitset_get(&keep, r))
			continue;
		bitset_set(&revert, r);
		const struct gnode *x = &g->nodes[r];
		for (uint32_t j = 0; j < x->nchildren; j++)
			u32vec_push(&stack, x->children[j]);
		for (uint32_t j = 0; j < x->ndependents; j++)
			u32vec_push(&stack, x->dependents[j]);
	}
	u32vec_free(&stack);

	int rc = RT_OK;
	for (uint32_t r = 0; r < g->n; r++)
		if (bitset_get(&revert, r) && !g->nodes[r].s.has_downgrade)
			rc = rt_err(err, RT_EFAIL,
			    "%s: revision %s has no '-- migrate:downgrade' section: it cannot be "
			    "reverted (irreversible); nothing was run",
			    g->nodes[r].s.path, g->nodes[r].s.rev);
	if (rc != RT_OK)
		goto out;

	struct heads del = {0}, ins = {0};
	for (uint32_t k = g->n; k-- > 0;) {
		if (!bitset_get(&revert, k))
			continue;
		const struct gnode *x = &g->nodes[k];
		struct plan_step *s = add_step(b, PLAN_DOWNGRADE, k, x->s.rev);
		del.n = ins.n = 0;
		heads_add(&del, x->s.rev);
		bitset_unset(&applied, k);
		for (uint32_t j = 0; j < x->nparents; j++) {
			const struct gnode *p = &g->nodes[x->parents[j]];
			bool other = false;
			for (uint32_t c = 0; c < p->nchildren && !other; c++)
				other = bitset_get(&applied, p->children[c]);
			if (!other)
				heads_add(&ins, p->s.rev);
		}
		/* A dependency stays applied. A version table may hold it in its
		 * dependent's row alone (Alembic does): with that row gone and
		 * nothing else applied above it, it needs a row of its own. */
		for (uint32_t j = 0; j < x->ndeps; j++) {
			const struct gnode *d = &g->nodes[x->deps[j]];
			bool implied = heads_has(&b->h, d->s.rev);
			for (uint32_t c = 0; c < d->nchildren && !implied; c++)
				implied = bitset_get(&applied, d->children[c]);
			for (uint32_t c = 0; c < d->ndependents && !implied; c++)
				implied = bitset_get(&applied, d->dependents[c]);
			if (!implied)
				heads_add(&ins, d->s.rev);
		}
		set_change(b, s, &del, &ins);
	}
	free(del.v);
	free(ins.v);
out:
	bitset_free(&applied);
	bitset_free(&revert);
	bitset_free(&keep);
	return rc;
}

static int plan_stamp(const struct graph *g, struct builder *b,
                      const char *const *heads, uint32_t nheads,
                      const struct revset *target, bool purge, char **err)
{
	if (target->below)
		return rt_err(err, RT_EUSAGE,
		              "stamp needs a revision, not LABEL@base; name the revision below");
	struct heads del = {0}, ins = {0};
	for (uint32_t i = 0; i < nheads; i++) {
		bool drop = purge || target->n == 0;
		int32_t h = graph_find(g, heads[i]);
		for (uint32_t t = 0; t < target->n && !drop && h >= 0; t++)
			drop = graph_is_ancestor(g, (uint32_t)h, target->v[t]) ||
			       graph_is_ancestor(g, target->v[t], (uint32_t)h);
		if (drop)
			heads_add(&del, heads[i]);
	}
	for (uint32_t t = 0; t < target->n; t++) {
		/* A target that is an ancestor of another target is implied. */
		bool implied = false;
		for (uint32_t u = 0; u < target->n && !implied; u++)
			implied = u != t && graph_is_ancestor(g, target->v[t], target->v[u]);
		if (!implied)
			heads_add(&ins, g->nodes[target->v[t]].s.rev);
	}
	/* Rows that stay need no delete-and-insert, unless --purge empties
	 * the table anyway. */
	for (uint32_t i = 0; i < ins.n && !purge;) {
		if (heads_del(&del, ins.v[i]))
			ins.v[i] = ins.v[--ins.n];
		else
			i++;
	}
	uint32_t rev = target->n ? target->v[0] : PLAN_NO_REV;
	struct plan_step *s = add_step(b, PLAN_STAMP, rev,
	                               target->n ? g->nodes[rev].s.rev : "base");
	set_change(b, s, &del, &ins);
	free(del.v);
	free(ins.v);
	return RT_OK;
}

enum rt_status plan_build(const struct graph *g, enum plan_kind kind,
                          const char *const *heads, uint32_t nheads,
                          const struct revset *target, bool purge,
                          struct plan **out, char **err)
{
	uint32_t *cur = NULL;
	int rc = RT_OK;
	if (kind != PLAN_STAMP) {
		rc = plan_heads_index(g, heads, nheads, &cur, err);
		if (rc != RT_OK)
			return rc;
	}
	struct plan *p = xcalloc(1, sizeof(*p));
	arena_init(&p->arena);
	p->kind = kind;
	p->purge = purge;
	struct builder b = {p, {0}, 0};
	const char **copies = arena_alloc(&p->arena, (nheads + 1) * sizeof(char *));
	for (uint32_t i = 0; i < nheads; i++) {
		copies[i] = arena_strdup(&p->arena, heads[i]);
		heads_add(&b.h, copies[i]);
	}

	if (kind == PLAN_UPGRADE)
		plan_upgrade(g, &b, cur, nheads, target);
	else if (kind == PLAN_DOWNGRADE)
		rc = plan_downgrade(g, &b, cur, nheads, target, err);
	else
		rc = plan_stamp(g, &b, copies, nheads, target, purge, err);
	free(cur);
	if (rc != RT_OK) {
		free(b.h.v);
		plan_free(p);
		return rc;
	}
	if (b.h.n > 1)
		qsort(b.h.v, b.h.n, sizeof(*b.h.v), cmp_cstr);
	p->final_heads = arena_strv(&p->arena, b.h.v, b.h.n);
	p->nfinal = b.h.n;
	free(b.h.v);
	*out = p;
	return RT_OK;
}

void plan_free(struct plan *p)
{
	if (!p)
		return;
	free(p->steps);
	arena_free(&p->arena);
	free(p);
}
