/* spec.c: revision specifiers (retort(1), REVISION SPECIFIERS). */

#include "spec.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

void revset_free(struct revset *r)
{
	free(r->v);
	free(r->roots);
	r->v = r->roots = NULL;
	r->n = r->nroots = 0;
	r->below = false;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static void set_from(struct revset *out, const uint32_t *v, uint32_t n)
{
	out->v = xmalloc((n ? n : 1) * sizeof(*out->v));
	uint32_t m = 0;
	for (uint32_t i = 0; i < n; i++) {
		bool dup = false;
		for (uint32_t j = 0; j < m && !dup; j++)
			dup = out->v[j] == v[i];
		if (!dup)
			out->v[m++] = v[i];
	}
	qsort(out->v, m, sizeof(*out->v), cmp_u32);
	out->n = m;
	out->below = false;
}

static void set_one(struct revset *out, uint32_t x)
{
	set_from(out, &x, 1);
}

/* "a1b2, c3d4" */
static void list_ids(struct strbuf *sb, const struct graph *g, const uint32_t *v,
                     uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		sb_addf(sb, "%s%s", i ? ", " : "", g->nodes[v[i]].s.rev);
}

static int err_ids(char **err, const struct graph *g, const char *fmt_head,
                   const uint32_t *v, uint32_t n, const char *tail)
{
	struct strbuf sb = STRBUF_INIT;
	list_ids(&sb, g, v, n);
	rt_err(err, RT_EINPUT, "%s (%s)%s", fmt_head, sb_str(&sb), tail);
	sb_free(&sb);
	return RT_EINPUT;
}

/* Parses "123" fully; false on anything else or overflow. */
static bool parse_count(const char *s, long *out)
{
	if (!*s)
		return false;
	long v = 0;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s) || v > INT_MAX / 10)
			return false;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return true;
}

/* The applied revisions: ancestors of the current heads (dependencies
 * included: they were applied first). */
static void applied_set(const struct spec_ctx *c, struct bitset *out)
{
	for (uint32_t i = 0; i < c->ncurrent; i++)
		if (!bitset_get(out, c->current[i]))
			graph_ancestors(c->g, c->current[i], true, out);
}

static int need_db(const struct spec_ctx *c, const char *spec, char **err)
{
	if (c->have_db)
		return RT_OK;
	return rt_err(err, RT_EUSAGE,
	              "'%s' needs the database's current revision: no database is used here",
	              spec);
}

/* A revision by id, label or unique prefix; within `cover` when given. */
static int resolve_name(const struct spec_ctx *c, const char *name,
                        const struct bitset *cover, const char *label,
                        struct revset *out, char **err)
{
	const struct graph *g = c->g;
	int32_t x = graph_find(g, name);
	if (x >= 0 && (!cover || bitset_get(cover, (uint32_t)x))) {
		set_one(out, (uint32_t)x);
		return RT_OK;
	}
	/* A label, within a branch too: ebranch@ebranch is the labelled one. */
	x = graph_label(g, name);
	if (x >= 0 && (!cover || bitset_get(cover, (uint32_t)x))) {
		set_one(out, (uint32_t)x);
		return RT_OK;
	}
	uint32_t cand[16], found[16], nfound = 0;
	uint32_t total = graph_prefix(g, name, cand, 16);
	if (total > 16) {
		/* Rare: look at every match to filter by the branch. */
		uint32_t *all = xmalloc(total * sizeof(*all));
		graph_prefix(g, name, all, total);
		for (uint32_t i = 0; i < total; i++)
			if ((!cover || bitset_get(cover, all[i])) && nfound < 16)
				found[nfound++] = all[i];
			else if (!cover || bitset_get(cover, all[i]))
				nfound++;
		free(all);
	} else {
		for (uint32_t i = 0; i < total; i++)
			if (!cover || bitset_get(cover, cand[i]))
				found[nfound++] = cand[i];
	}
	if (nfound == 1) {
		set_one(out, found[0]);
		return RT_OK;
	}
	if (nfound > 1) {
		struct strbuf sb = STRBUF_INIT;
		uint32_t shown = nfound < 16 ? nfound : 16;
		for (uint32_t i = 0; i < shown; i++)
			sb_addf(&sb, "%s%s", i ? ", " : "", g->nodes[found[i]].s.rev);
		if (nfound > shown)
			sb_addf(&sb, ", … (%u in all)", nfound);
		rt_err(err, RT_EINPUT, "ambiguous revision prefix '%s'%s%s%s matches %s; "
		       "type more characters", name, label ? " in branch '" : "",
		       label ? label : "", label ? "'" : "", sb_str(&sb));
		sb_free(&sb);
		return RT_EINPUT;
	}
	if (label)
		return rt_err(err, RT_EINPUT, "no revision in branch '%s' matches '%s'", label, name);
	return rt_err(err, RT_EINPUT,
	              "no revision, branch label or prefix matches '%s' (see 'retort history')",
	              name);
}

/* One step down from the single revision in *s (retort(1): stepping down from
 * a merge point reverts the merge as one step, leaving its parents). */
static int step_down(const struct spec_ctx *c, struct revset *s,
                     const struct bitset *cover, long total, char **err)
{
	const struct graph *g = c->g;
	if (s->n == 0)
		return rt_err(err, RT_EINPUT,
		              "relative revision -%ld goes below base", total);
	if (s->n > 1)
		return err_ids(err, g,
		               "cannot step down further: after the merge point the current "
		               "revisions are several", s->v, s->n,
		               "; name a branch (LABEL@-1) or a revision");
	const struct gnode *x = &g->nodes[s->v[0]];
	uint32_t keep[64], n = 0;
	for (uint32_t i = 0; i < x->nparents && n < 64; i++)
		if (!cover || bitset_get(cover, x->parents[i]) || x->nparents == 1)
			keep[n++] = x->parents[i];
	if (cover && n == 0)  /* leaving the branch at its bottom */
		for (uint32_t i = 0; i < x->nparents && n < 64; i++)
			keep[n++] = x->parents[i];
	free(s->v);
	set_from(s, keep, n);
	return RT_OK;
}

static int step_up(const struct spec_ctx *c, struct revset *s,
                   const struct bitset *cover, char **err)
{
	const struct graph *g = c->g;
	struct u32vec cand = {0};
	if (s->n == 0) {
		for (uint32_t i = 0; i < g->nbases; i++)
			if (!cover || bitset_get(cover, g->bases[i]))
				u32vec_push(&cand, g->bases[i]);
		if (cover && cand.n == 0) {
			/* The branch's lowest revisions. */
			for (uint32_t i = 0; i < g->n; i++) {
				if (!bitset_get(cover, i))
					continue;
				bool low = true;
				for (uint32_t j = 0; j < g->nodes[i].nparents; j++)
					low &= !bitset_get(cover, g->nodes[i].parents[j]);
				if (low)
					u32vec_push(&cand, i);
			}
		}
	} else {
		/* Children of the set; a merge point whose parents are all in the
		 * set is one step up from them together. */
		for (uint32_t k = 0; k < s->n; k++) {
			const struct gnode *x = &g->nodes[s->v[k]];
			for (uint32_t i = 0; i < x->nchildren; i++) {
				uint32_t ch = x->children[i];
				if ((!cover || bitset_get(cover, ch)) && !u32vec_contains(&cand, ch))
					u32vec_push(&cand, ch);
			}
		}
		if (s->n > 1) {
			struct u32vec merged = {0};
			for (uint32_t i = 0; i < cand.n; i++) {
				const struct gnode *m = &g->nodes[cand.v[i]];
				uint32_t in = 0;
				for (uint32_t j = 0; j < m->nparents; j++)
					for (uint32_t k = 0; k < s->n; k++)
						in += m->parents[j] == s->v[k];
				if (in == s->n)
					u32vec_push(&merged, cand.v[i]);
			}
			if (merged.n) {
				u32vec_free(&cand);
				cand = merged;
			} else {
				u32vec_free(&merged);
			}
		}
	}
	int rc = RT_OK;
	if (cand.n == 1) {
		free(s->v);
		set_one(s, cand.v[0]);
	} else if (cand.n == 0) {
		if (s->n == 0)
			rc = rt_err(err, RT_EINPUT, "there is no revision to step up to");
		else
			rc = err_ids(err, g, "cannot step up: no revision above", s->v, s->n,
			             ", which is a head");
	} else {
		rc = err_ids(err, g, "cannot step up: the next revision is ambiguous",
		             cand.v, cand.n, "; name a branch (LABEL@+1) or a revision");
	}
	u32vec_free(&cand);
	return rc;
}

static int walk(const struct spec_ctx *c, struct revset *s, long delta,
                const struct bitset *cover, char **err)
{
	long steps = delta < 0 ? -delta : delta;
	for (long i = 0; i < steps; i++) {
		int rc = delta < 0 ? step_down(c, s, cover, steps, err)
		                   : step_up(c, s, cover, err);
		if (rc != RT_OK)
			return rc;
	}
	return RT_OK;
}

/* Splits "X+N" / "X-N" (N digits); false when there is no such suffix. */
static bool split_relative(const char *spec, char **base, long *delta)
{
	const char *p = spec + strlen(spec);
	while (p > spec && isdigit((unsigned char)p[-1]))
		p--;
	if (p == spec + strlen(spec) || p == spec || (p[-1] != '+' && p[-1] != '-'))
		return false;
	long n;
	if (!parse_count(p, &n))
		return false;
	*delta = p[-1] == '-' ? -n : n;
	*base = xstrndup(spec, (size_t)(p - 1 - spec));
	return true;
}

static int heads_in(const struct graph *g, const struct bitset *cover,
                    struct revset *out)
{
	struct u32vec v = {0};
	for (uint32_t i = 0; i < g->nheads; i++)
		if (!cover || bitset_get(cover, g->heads[i]))
			u32vec_push(&v, g->heads[i]);
	set_from(out, v.v, v.n);
	u32vec_free(&v);
	return RT_OK;
}

/* The newest applied revision of a line, or none (s->n = 0). */
static void newest_applied(const struct spec_ctx *c, const struct bitset *cover,
                           struct revset *out)
{
	struct bitset applied;
	bitset_init(&applied, c->g->n);
	applied_set(c, &applied);
	int64_t best = -1;
	for (uint32_t i = 0; i < c->g->n; i++)
		if (bitset_get(&applied, i) && bitset_get(cover, i))
			best = i;
	bitset_free(&applied);
	if (best >= 0)
		set_one(out, (uint32_t)best);
	else
		set_from(out, NULL, 0);
}

static int resolve_in_branch(const struct spec_ctx *c, const char *label,
                             const char *rest, const char *spec,
                             struct revset *out, char **err)
{
	const struct graph *g = c->g;
	int32_t l = graph_label(g, label);
	if (l < 0) {
		/* A revision where a label stands names the branch it is on, as
		 * a label on it would (b1@base, b1@head). */
		struct revset r = {0};
		char *why = NULL;
		if (resolve_name(c, label, NULL, NULL, &r, &why) != RT_OK) {
			int rc = rt_err(err, RT_EINPUT, "no branch label or revision '%s' in '%s'%s%s",
			                label, spec, why && strstr(why, "ambiguous") ? ": " : "",
			                why && strstr(why, "ambiguous") ? why : "");
			free(why);
			return rc;
		}
		l = (int32_t)r.v[0];
		revset_free(&r);
	}
	struct bitset cover;
	bitset_init(&cover, g->n);
	graph_label_cover(g, (uint32_t)l, &cover);
	int rc = RT_OK;
	char *base = NULL;
	long delta = 0;
	memset(out, 0, sizeof(*out));

	if (strcmp(rest, "head") == 0 || strcmp(rest, "heads") == 0) {
		heads_in(g, &cover, out);
		if (out->n > 1) {
			char *what = xasprintf("branch '%s' has several heads", label);
			rc = err_ids(err, g, what, out->v, out->n, "; name one");
			free(what);
			revset_free(out);
		}
	} else if (strcmp(rest, "base") == 0) {
		/* Below the line's lowest revisions: a downgrade reverts them. */
		struct u32vec low = {0};
		for (uint32_t i = 0; i < g->n; i++) {
			if (!bitset_get(&cover, i))
				continue;
			bool lowest = true;
			for (uint32_t j = 0; j < g->nodes[i].nparents; j++)
				lowest &= !bitset_get(&cover, g->nodes[i].parents[j]);
			if (lowest)
				u32vec_push(&low, i);
		}
		set_from(out, low.v, low.n);
		out->below = true;
		u32vec_free(&low);
	} else if ((rest[0] == '+' || rest[0] == '-') && parse_count(rest + 1, &delta)) {
		if (rest[0] == '-')
			delta = -delta;
		rc = need_db(c, spec, err);
		if (rc == RT_OK) {
			newest_applied(c, &cover, out);
			if (out->n == 0 && delta < 0)
				rc = rt_err(err, RT_EINPUT, "nothing of branch '%s' is applied", label);
			else if (delta < 0) {
				rc = walk(c, out, delta + 1, &cover, err);
				struct revset from;
				set_from(&from, out->v, out->n);
				if (rc == RT_OK)
					rc = walk(c, out, -1, &cover, err);
				out->roots = from.v;
				out->nroots = from.n;
			} else {
				rc = walk(c, out, delta, &cover, err);
			}
		}
	} else if (split_relative(rest, &base, &delta)) {
		if (strcmp(base, "head") == 0 || strcmp(base, "heads") == 0) {
			rc = resolve_in_branch(c, label, "head", spec, out, err);
		} else {
			rc = resolve_name(c, base, &cover, label, out, err);
		}
		if (rc == RT_OK)
			rc = walk(c, out, delta, &cover, err);
	} else {
		rc = resolve_name(c, rest, &cover, label, out, err);
	}
	if (rc != RT_OK)
		revset_free(out);
	free(base);
	bitset_free(&cover);
	return rc;
}

static int resolve_plain(const struct spec_ctx *c, const char *spec,
                         struct revset *out, char **err)
{
	const struct graph *g = c->g;
	if (strcmp(spec, "heads") == 0)
		return heads_in(g, NULL, out);
	if (strcmp(spec, "head") == 0) {
		if (g->nheads > 1)
			return err_ids(err, g, "multiple heads are present", g->heads, g->nheads,
			               "; name one, use 'heads' for all, or 'LABEL@head'");
		set_from(out, g->heads, g->nheads);
		return RT_OK;
	}
	if (strcmp(spec, "base") == 0) {
		set_from(out, NULL, 0);
		return RT_OK;
	}
	if (strcmp(spec, "current") == 0) {
		int rc = need_db(c, spec, err);
		if (rc != RT_OK)
			return rc;
		set_from(out, c->current, c->ncurrent);
		return RT_OK;
	}
	return resolve_name(c, spec, NULL, NULL, out, err);
}

int spec_resolve(const struct spec_ctx *c, const char *spec,
                 struct revset *out, char **err)
{
	memset(out, 0, sizeof(*out));
	if (!*spec)
		return rt_err(err, RT_EINPUT, "empty revision specifier");
	const char *at = strchr(spec, '@');
	if (at) {
		char *label = xstrndup(spec, (size_t)(at - spec));
		int rc = resolve_in_branch(c, label, at + 1, spec, out, err);
		free(label);
		return rc;
	}
	long delta;
	char *base = NULL;
	/* A label may itself end in "-N" ("hotfix-2"): a whole label wins. */
	if (graph_label(c->g, spec) < 0 && graph_find(c->g, spec) < 0 &&
	    split_relative(spec, &base, &delta)) {
		int rc;
		if (!*base) {
			rc = need_db(c, spec, err);
			if (rc == RT_OK && c->ncurrent > 1)
				rc = err_ids(err, c->g, "relative step from several current revisions",
				             c->current, c->ncurrent,
				             "; name a branch (LABEL@-1) or a revision");
			if (rc == RT_OK)
				set_from(out, c->current, c->ncurrent);
		} else {
			rc = resolve_plain(c, base, out, err);
		}
		if (rc == RT_OK && out->n > 1 && strcmp(base, "current") != 0 && *base)
			rc = err_ids(err, c->g, "relative step from several revisions", out->v,
			             out->n, "; name one");
		if (rc == RT_OK)
			rc = walk(c, out, delta, NULL, err);
		if (rc != RT_OK)
			revset_free(out);
		free(base);
		return rc;
	}
	return resolve_plain(c, spec, out, err);
}

int spec_range(const struct spec_ctx *c, const char *range,
               struct revset *from, bool *has_from,
               struct revset *to, bool *has_to, char **err)
{
	memset(from, 0, sizeof(*from));
	memset(to, 0, sizeof(*to));
	*has_from = *has_to = false;
	const char *colon = strchr(range, ':');
	if (!colon) {
		int rc = spec_resolve(c, range, to, err);
		if (rc != RT_OK)
			return rc;
		*has_to = true;
		set_from(from, to->v, to->n);
		*has_from = true;
		return RT_OK;
	}
	if (colon > range) {
		char *a = xstrndup(range, (size_t)(colon - range));
		int rc = spec_resolve(c, a, from, err);
		free(a);
		if (rc != RT_OK)
			return rc;
		*has_from = true;
	}
	if (colon[1]) {
		int rc = spec_resolve(c, colon + 1, to, err);
		if (rc != RT_OK) {
			revset_free(from);
			*has_from = false;
			return rc;
		}
		*has_to = true;
	}
	return RT_OK;
}

int spec_range_set(const struct spec_ctx *c, const char *range, struct bitset *out,
                   char **err)
{
	const struct graph *g = c->g;
	struct revset from, to;
	bool has_from, has_to;
	int rc = spec_range(c, range, &from, &has_from, &to, &has_to, err);
	if (rc != RT_OK)
		return rc;
	struct bitset lo, hi;
	bitset_init(&lo, g->n);
	bitset_init(&hi, g->n);
	for (uint32_t i = 0; i < from.n; i++)
		graph_descendants(g, from.v[i], false, &lo);
	for (uint32_t i = 0; i < to.n; i++)
		graph_ancestors(g, to.v[i], false, &hi);
	uint32_t kept = 0;
	for (uint32_t i = 0; i < g->n; i++) {
		bool in = (!has_from || from.n == 0 || bitset_get(&lo, i)) &&
		          (!has_to || bitset_get(&hi, i));
		if (in)
			bitset_set(out, i);
		kept += in;
	}
	bool to_named = has_to && to.n > 0;
	bitset_free(&lo);
	bitset_free(&hi);
	revset_free(&from);
	revset_free(&to);
	/* A:B with B below A is a mistake, not an empty selection. */
	if (has_from && to_named && !kept)
		return rt_err(err, RT_EINPUT,
		              "range '%s' is empty: its start must be an ancestor of its end", range);
	return RT_OK;
}

bool spec_mentions_current(const char *spec)
{
	return spec && (strstr(spec, "current") || spec[0] == '+' || spec[0] == '-' ||
	                strstr(spec, ":+") || strstr(spec, ":-") || strstr(spec, "@+") ||
	                strstr(spec, "@-"));
}
