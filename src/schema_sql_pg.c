/* schema_sql_pg.c: the statements for PostgreSQL's objects beyond tables:
 * extensions, enums, domains and composite types, sequences, functions
 * and procedures, row-level security and its policies, grants and
 * comments. schema_sql.c calls each phase where its order needs it.
 *
 * A type changes in place when PostgreSQL can: an enum gains values
 * (ALTER TYPE … ADD VALUE, BEFORE or AFTER the value it must precede or
 * follow) or renames them, a domain changes its default, NOT NULL or
 * checks, a composite type drops attributes and gains new ones at its end.
 * Anything else rebuilds it: the old type is renamed aside (retort_old_x),
 * the new one created under the name, every column of it cast through its
 * text, and the old one dropped; what names it (defaults, checks, indexes,
 * views, policies, functions, the types built on it) is dropped before
 * and made again after.
 *
 * A function whose definition changes is replaced (CREATE OR REPLACE)
 * when its kind, arguments and result stay; otherwise, or when it names a
 * type that is rebuilt, it is dropped with what uses it and created
 * again. */
#include "schema_impl.h"

#include <stdlib.h>
#include <string.h>

#define OLD_PREFIX "retort_old_"

/* ---- what names what ---- */

static bool type_ref_of(const char *coltype, const struct schema_type *t)
{
	size_t n = strlen(t->ref);
	return strncmp(coltype, t->ref, n) == 0 &&
	       (coltype[n] == 0 || strcmp(coltype + n, "[]") == 0);
}

static bool ty_rebuilt(const struct gen *g, uint32_t i)
{
	return g->ty_how && g->ty_how[i] == GEN_REBUILD;
}

bool gen_col_rebuilt(const struct gen *g, const struct schema_column *c)
{
	for (uint32_t i = 0; g->d == SQL_POSTGRES && i < g->a->ntypes; i++)
		if (ty_rebuilt(g, i) && type_ref_of(c->type, &g->a->types[i]))
			return true;
	return false;
}

bool gen_mentions_rebuilt(const struct gen *g, const char *sql)
{
	if (!sql || g->d != SQL_POSTGRES)
		return false;
	for (uint32_t i = 0; i < g->a->ntypes; i++)
		if (ty_rebuilt(g, i) && schema_sql_mentions(sql, SQL_POSTGRES, g->a->types[i].name))
			return true;
	for (uint32_t i = 0; g->fn_how && i < g->a->nfunctions; i++)
		if (g->fn_how[i] == GEN_RECREATE &&
		    schema_sql_mentions(sql, SQL_POSTGRES, g->a->functions[i].name))
			return true;
	return false;
}

bool gen_type_gains_values(const struct gen *g, const char *type)
{
	for (uint32_t i = 0; g->ty_adds && i < g->a->ntypes; i++)
		if (g->ty_adds[i] && type_ref_of(type, &g->a->types[i]))
			return true;
	return false;
}

bool gen_func_recreated(const struct gen *g, const char *sig)
{
	int32_t f = g->fn_how ? schema_function_sig_at(g->a, sig) : -1;
	return f >= 0 && g->fn_how[f] == GEN_RECREATE;
}

const char *gen_cast_via_text(const struct gen *g, const char *type)
{
	for (uint32_t i = 0; g->d == SQL_POSTGRES && i < g->a->ntypes; i++) {
		const struct schema_type *t = &g->a->types[i];
		if ((t->kind != SCHEMA_DOMAIN || ty_rebuilt(g, i)) && type_ref_of(type, t))
			return strcmp(type + strlen(t->ref), "[]") == 0 ? "::text[]" : "::text";
	}
	return "";
}

/* ---- enums ---- */

static int32_t label_at(const char *const *v, uint32_t n, const char *label)
{
	for (uint32_t i = 0; i < n; i++)
		if (strcmp(v[i], label) == 0)
			return (int32_t)i;
	return -1;
}

/* How an enum becomes another in place: the values of b that are a's
 * under another name (renamed[k] is the a value of b's value k, or NULL)
 * and those that are new (added[k]). A value of a that b neither keeps nor
 * renames, or values kept in another order, make this impossible: false.
 * Between two kept values, the values a loses and b gains pair up in
 * order as renames. */
struct enum_edit {
	const char **renamed;
	bool *added;
};

static bool enum_edit(const struct schema_type *a, const struct schema_type *b,
                      struct enum_edit *e)
{
	e->renamed = xcalloc(b->nlabels + 1, sizeof *e->renamed);
	e->added = xcalloc(b->nlabels + 1, sizeof *e->added);
	uint32_t ia = 0, ib = 0;
	while (ia < a->nlabels || ib < b->nlabels) {
		uint32_t lost = ia, gained = ib;
		while (ia < a->nlabels && label_at(b->labels, b->nlabels, a->labels[ia]) < 0)
			ia++;
		while (ib < b->nlabels && label_at(a->labels, a->nlabels, b->labels[ib]) < 0)
			ib++;
		if (ia - lost > ib - gained)
			return false;          /* a value goes */
		for (uint32_t k = gained; k < ib; k++) {
			if (lost < ia)
				e->renamed[k] = a->labels[lost++];
			else
				e->added[k] = true;
		}
		if (ia < a->nlabels && ib < b->nlabels) {
			if (strcmp(a->labels[ia], b->labels[ib]) != 0)
				return false;      /* the kept values are reordered */
			ia++;
			ib++;
		} else if (ia < a->nlabels || ib < b->nlabels) {
			return false;
		}
	}
	return true;
}

static void enum_edit_free(struct enum_edit *e)
{
	free(e->renamed);
	free(e->added);
}

/* b's values as they stand once the new ones are added and before the
 * renames: what the step that adds them leaves. */
static const char *mid_label(const struct enum_edit *e, const struct schema_type *b, uint32_t k)
{
	return e->renamed[k] ? e->renamed[k] : b->labels[k];
}

/* ---- planning ---- */

static bool type_mentions(const struct schema_type *t, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	schema_type_body(&sb, t);
	bool hit = schema_sql_mentions(sb_str(&sb), SQL_POSTGRES, name);
	sb_free(&sb);
	return hit;
}

static bool domain_same_core(const struct schema_type *a, const struct schema_type *b)
{
	return strcmp(a->base, b->base) == 0 && schema_str_eq(a->collation, b->collation);
}

static bool attrs_same(const struct schema_column *a, const struct schema_column *b)
{
	return strcmp(a->name, b->name) == 0 && strcmp(a->type, b->type) == 0 &&
	       schema_str_eq(a->collation, b->collation);
}

static int32_t attr_at(const struct schema_type *t, const char *name)
{
	for (uint32_t i = 0; i < t->nattrs; i++)
		if (strcmp(t->attrs[i].name, name) == 0)
			return (int32_t)i;
	return -1;
}

/* A composite type changes in place when b is a's attributes that stay,
 * unchanged and in order, followed by the new ones. */
static bool composite_in_place(const struct schema_type *a, const struct schema_type *b)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < a->nattrs; i++) {
		if (attr_at(b, a->attrs[i].name) < 0)
			continue;
		if (k >= b->nattrs || !attrs_same(&a->attrs[i], &b->attrs[k]))
			return false;
		k++;
	}
	for (; k < b->nattrs; k++)
		if (attr_at(a, b->attrs[k].name) >= 0)
			return false;
	return true;
}

static unsigned char type_how(const struct gen *g, uint32_t i)
{
	const struct schema_type *ta = &g->a->types[i];
	int32_t j = g->ty_ab[i];
	if (j < 0)
		return GEN_DROP;
	const struct schema_type *tb = &g->b->types[j];
	struct strbuf x = STRBUF_INIT, y = STRBUF_INIT;
	schema_type_body(&x, ta);
	schema_type_body(&y, tb);
	bool same = strcmp(sb_str(&x), sb_str(&y)) == 0;
	sb_free(&x);
	sb_free(&y);
	if (ta->kind != tb->kind || (g->ty_force && g->ty_force[i]))
		return GEN_REBUILD;
	if (same)
		return GEN_KEEP;
	switch (ta->kind) {
	case SCHEMA_ENUM: {
		struct enum_edit e;
		bool ok = enum_edit(ta, tb, &e);
		enum_edit_free(&e);
		return ok ? GEN_ALTER : GEN_REBUILD;
	}
	case SCHEMA_DOMAIN:
		return domain_same_core(ta, tb) ? GEN_ALTER : GEN_REBUILD;
	default:
		return composite_in_place(ta, tb) ? GEN_ALTER : GEN_REBUILD;
	}
}

static bool function_replaceable(const struct schema_function *a, const struct schema_function *b)
{
	return a->kind == b->kind && schema_str_eq(a->result, b->result) &&
	       strcmp(a->arguments, b->arguments) == 0;
}

void pg_plan_objects(struct gen *g)
{
	const struct schema *a = g->a, *b = g->b;
	g->ty_ab = xcalloc(a->ntypes + 1, sizeof *g->ty_ab);
	g->ty_ba = xcalloc(b->ntypes + 1, sizeof *g->ty_ba);
	g->ty_how = xcalloc(a->ntypes + 1, sizeof *g->ty_how);
	g->ty_made = xcalloc(b->ntypes + 1, sizeof *g->ty_made);
	g->ty_adds = xcalloc(a->ntypes + 1, sizeof *g->ty_adds);
	for (uint32_t i = 0; i < a->ntypes; i++)
		g->ty_ab[i] = schema_type_at(b, a->types[i].name);
	for (uint32_t j = 0; j < b->ntypes; j++)
		g->ty_ba[j] = schema_type_at(a, b->types[j].name);
	for (uint32_t i = 0; i < a->ntypes; i++)
		g->ty_how[i] = type_how(g, i);
	/* a type built on a rebuilt one is rebuilt with it */
	for (bool more = true; more;) {
		more = false;
		for (uint32_t i = 0; i < a->ntypes; i++) {
			if (g->ty_how[i] != GEN_KEEP && g->ty_how[i] != GEN_ALTER)
				continue;
			for (uint32_t k = 0; k < a->ntypes; k++)
				if (k != i && g->ty_how[k] == GEN_REBUILD &&
				    type_mentions(&a->types[i], a->types[k].name)) {
					g->ty_how[i] = GEN_REBUILD;
					more = true;
					break;
				}
		}
	}
	for (uint32_t j = 0; j < b->ntypes; j++)
		g->ty_made[j] = g->ty_ba[j] < 0 || g->ty_how[g->ty_ba[j]] == GEN_REBUILD;

	g->fn_ab = xcalloc(a->nfunctions + 1, sizeof *g->fn_ab);
	g->fn_ba = xcalloc(b->nfunctions + 1, sizeof *g->fn_ba);
	g->fn_how = xcalloc(a->nfunctions + 1, sizeof *g->fn_how);
	for (uint32_t i = 0; i < a->nfunctions; i++)
		g->fn_ab[i] = schema_function_at(b, a->functions[i].name, a->functions[i].args);
	for (uint32_t j = 0; j < b->nfunctions; j++)
		g->fn_ba[j] = schema_function_at(a, b->functions[j].name, b->functions[j].args);
	for (uint32_t i = 0; i < a->nfunctions; i++) {
		const struct schema_function *fa = &a->functions[i];
		int32_t j = g->fn_ab[i];
		if (j < 0)
			g->fn_how[i] = GEN_DROP;
		else if (strcmp(fa->def, b->functions[j].def) == 0)
			g->fn_how[i] = GEN_KEEP;
		else
			g->fn_how[i] = function_replaceable(fa, &b->functions[j]) ? GEN_ALTER : GEN_RECREATE;
	}
	/* one that names a rebuilt type, or calls one made again, is made
	 * again too */
	for (bool more = true; more;) {
		more = false;
		for (uint32_t i = 0; i < a->nfunctions; i++) {
			if (g->fn_how[i] == GEN_DROP || g->fn_how[i] == GEN_RECREATE)
				continue;
			if (gen_mentions_rebuilt(g, a->functions[i].def)) {
				g->fn_how[i] = GEN_RECREATE;
				more = true;
			}
		}
	}
}

void pg_plan_policies(struct gen *g)
{
	const struct schema *a = g->a, *b = g->b;
	g->pol_drop = xcalloc(a->npolicies + 1, sizeof *g->pol_drop);
	g->pol_make = xcalloc(b->npolicies + 1, sizeof *g->pol_make);
	for (uint32_t i = 0; i < a->npolicies; i++) {
		const struct schema_policy *p = &a->policies[i];
		int32_t t = schema_table_at(a, p->table), m = schema_policy_at(b, p->table, p->name);
		if (t < 0 || g->ta_b[t] < 0)
			continue;          /* goes with its table */
		g->pol_drop[i] = m < 0 || strcmp(p->def, b->policies[m].def) != 0 || g->touched[t] ||
		                 gen_mentions_rebuilt(g, p->def);
	}
	for (uint32_t j = 0; j < b->npolicies; j++) {
		const struct schema_policy *p = &b->policies[j];
		int32_t t = schema_table_at(b, p->table), m = schema_policy_at(a, p->table, p->name);
		g->pol_make[j] = m < 0 || g->pol_drop[m] || (t >= 0 && g->tb_a[t] < 0);
	}
}

void pg_free_plan(struct gen *g)
{
	free(g->ty_ab);
	free(g->ty_ba);
	free(g->ty_how);
	free(g->ty_made);
	free(g->ty_adds);
	free(g->fn_ab);
	free(g->fn_ba);
	free(g->fn_how);
	free(g->pol_drop);
	free(g->pol_make);
}

/* ---- extensions ---- */

void pg_extensions_create(struct gen *g)
{
	const struct schema *a = g->a, *b = g->b;
	for (uint32_t j = 0; j < b->nextensions; j++) {
		const struct schema_extension *e = &b->extensions[j];
		int32_t i = schema_extension_at(a, e->name);
		if (i >= 0 && schema_str_eq(a->extensions[i].schema, e->schema))
			continue;
		if (i >= 0 && e->schema) {
			gen_stmt_names(g, "ALTER EXTENSION %s SET SCHEMA %s", e->name, e->schema);
		} else if (i >= 0) {
			gen_review(g, "extension %s moves to the schema this script runs in: "
			           "ALTER EXTENSION %s SET SCHEMA <that schema>", e->name, e->name);
		} else if (e->schema) {
			gen_stmt_names(g, "CREATE EXTENSION IF NOT EXISTS %s WITH SCHEMA %s", e->name,
			               e->schema);
		} else {
			gen_stmt_names(g, "CREATE EXTENSION IF NOT EXISTS %s", e->name);
		}
	}
}

void pg_extensions_drop(struct gen *g)
{
	for (uint32_t i = 0; i < g->a->nextensions; i++)
		if (schema_extension_at(g->b, g->a->extensions[i].name) < 0)
			gen_stmt_names(g, "DROP EXTENSION IF EXISTS %s", g->a->extensions[i].name);
}

/* ---- policies ---- */

void pg_policies_drop(struct gen *g)
{
	for (uint32_t i = 0; i < g->a->npolicies; i++)
		if (g->pol_drop[i])
			gen_stmt_names(g, "DROP POLICY %s ON %s", g->a->policies[i].name,
			               g->a->policies[i].table);
}

void pg_policies_make(struct gen *g)
{
	for (uint32_t j = 0; j < g->b->npolicies; j++)
		if (g->pol_make[j])
			gen_stmt_text(g, g->b->policies[j].sql);
}

/* ---- functions ---- */

static const char *routine(const struct schema_function *f)
{
	return f->kind == 'p' ? "PROCEDURE" : "FUNCTION";
}

void pg_functions_drop(struct gen *g, bool early)
{
	const struct schema *a = g->a;
	for (uint32_t i = 0; i < a->nfunctions; i++) {
		const struct schema_function *f = &a->functions[i];
		/* before the tables: those made again, and those that go and read
		 * tables; after them, those that go and tables may use */
		bool now = g->fn_how[i] == GEN_RECREATE || (g->fn_how[i] == GEN_DROP && !f->early);
		if (g->fn_how[i] == GEN_DROP && f->early)
			now = !early;
		else if (!early)
			now = false;
		if (!now)
			continue;
		if (g->fn_how[i] == GEN_RECREATE && !function_replaceable(f, &g->b->functions[g->fn_ab[i]]))
			gen_review(g, "%s: its arguments or result change, which CREATE OR REPLACE "
			           "cannot do: it is dropped and created again, with what uses it",
			           f->sig);
		char *fmt = xasprintf("DROP %s %%S", routine(f));
		gen_stmt_names(g, fmt, f->sig);
		free(fmt);
	}
}

/* Whether a function of b reads one of b's views. */
static bool reads_views(const struct gen *g, const struct schema_function *f)
{
	for (uint32_t k = 0; k < f->ndeps; k++)
		if (schema_view_at(g->b, f->deps[k]) >= 0)
			return true;
	return false;
}

void pg_functions_make(struct gen *g, int phase)
{
	const struct schema *b = g->b;
	for (uint32_t j = 0; j < b->nfunctions; j++) {
		const struct schema_function *f = &b->functions[j];
		int p = f->early ? 0 : reads_views(g, f) ? 2 : 1;
		int32_t i = g->fn_ba[j];
		if (p != phase || (i >= 0 && (g->fn_how[i] == GEN_KEEP)))
			continue;
		gen_stmt_text(g, f->def);
	}
}

/* ---- types ---- */

static char *old_name(const char *name)
{
	return xasprintf(OLD_PREFIX "%s", name);
}

static const char *type_word(const struct schema_type *t)
{
	return t->kind == SCHEMA_DOMAIN ? "DOMAIN" : "TYPE";
}

static void create_type(struct gen *g, const struct schema_type *t)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "CREATE %s ", type_word(t));
	schema_quote(&sb, t->name);
	sb_addc(&sb, ' ');
	schema_type_body(&sb, t);
	gen_stmt_end(g, &sb);
	sb_free(&sb);
}

static void enum_changes(struct gen *g, uint32_t ia)
{
	const struct schema_type *ta = &g->a->types[ia], *tb = &g->b->types[g->ty_ab[ia]];
	struct enum_edit e;
	struct strbuf sb = STRBUF_INIT;
	if (!enum_edit(ta, tb, &e)) {
		enum_edit_free(&e);
		return;
	}
	for (uint32_t k = 0; k < tb->nlabels; k++) {
		if (!e.added[k])
			continue;
		/* before the next value that is there already, or after the one
		 * just before it */
		const char *next = NULL;
		for (uint32_t n = k + 1; n < tb->nlabels && !next; n++)
			if (!e.added[n])
				next = mid_label(&e, tb, n);
		sb_adds(&sb, "ALTER TYPE ");
		schema_quote(&sb, tb->name);
		sb_adds(&sb, " ADD VALUE ");
		schema_literal(&sb, tb->labels[k]);
		if (next) {
			sb_adds(&sb, " BEFORE ");
			schema_literal(&sb, next);
		} else if (k) {
			sb_adds(&sb, " AFTER ");
			schema_literal(&sb, mid_label(&e, tb, k - 1));
		}
		sb_adds(&g->outside, sb_str(&sb));
		sb_adds(&g->outside, ";\n");
		sb_reset(&sb);
		schema_literal(&g->added, tb->labels[k]);
		sb_addc(&g->added, '\n');
		g->ty_adds[ia] = true;
	}
	for (uint32_t k = 0; k < tb->nlabels; k++) {
		if (!e.renamed[k])
			continue;
		gen_review(g, "%s: the value '%s' is taken as renamed to '%s' (the rows holding it "
		           "keep it under its new name)", tb->name, e.renamed[k], tb->labels[k]);
		sb_adds(&sb, "ALTER TYPE ");
		schema_quote(&sb, tb->name);
		sb_adds(&sb, " RENAME VALUE ");
		schema_literal(&sb, e.renamed[k]);
		sb_adds(&sb, " TO ");
		schema_literal(&sb, tb->labels[k]);
		gen_stmt_end(g, &sb);
	}
	sb_free(&sb);
	enum_edit_free(&e);
}

static void domain_changes(struct gen *g, const struct schema_type *ta, const struct schema_type *tb)
{
	struct strbuf sb = STRBUF_INIT;
	if (!schema_str_eq(ta->dflt, tb->dflt)) {
		if (tb->dflt) {
			sb_adds(&sb, "ALTER DOMAIN ");
			schema_quote(&sb, tb->name);
			sb_addf(&sb, " SET DEFAULT %s", tb->dflt);
			gen_stmt_end(g, &sb);
		} else {
			gen_stmt_names(g, "ALTER DOMAIN %s DROP DEFAULT", tb->name);
		}
	}
	if (ta->notnull != tb->notnull)
		gen_stmt_names(g, tb->notnull ? "ALTER DOMAIN %s SET NOT NULL"
		                              : "ALTER DOMAIN %s DROP NOT NULL", tb->name);
	for (uint32_t i = 0; i < ta->ncons; i++) {
		const struct schema_constraint *c = &ta->cons[i];
		bool kept = false;
		for (uint32_t j = 0; j < tb->ncons && !kept; j++)
			kept = strcmp(c->name, tb->cons[j].name) == 0 && strcmp(c->def, tb->cons[j].def) == 0;
		if (!kept)
			gen_stmt_names(g, "ALTER DOMAIN %s DROP CONSTRAINT %s", tb->name, c->name);
	}
	for (uint32_t j = 0; j < tb->ncons; j++) {
		const struct schema_constraint *c = &tb->cons[j];
		bool kept = false;
		for (uint32_t i = 0; i < ta->ncons && !kept; i++)
			kept = strcmp(c->name, ta->cons[i].name) == 0 && strcmp(c->def, ta->cons[i].def) == 0;
		if (kept)
			continue;
		sb_adds(&sb, "ALTER DOMAIN ");
		schema_quote(&sb, tb->name);
		sb_adds(&sb, " ADD CONSTRAINT ");
		schema_quote(&sb, c->name);
		sb_addf(&sb, " %s", c->def);
		gen_stmt_end(g, &sb);
	}
	sb_free(&sb);
}

static void composite_changes(struct gen *g, const struct schema_type *ta,
                              const struct schema_type *tb)
{
	struct strbuf sb = STRBUF_INIT;
	for (uint32_t i = 0; i < ta->nattrs; i++)
		if (attr_at(tb, ta->attrs[i].name) < 0)
			gen_stmt_names(g, "ALTER TYPE %s DROP ATTRIBUTE %s", tb->name, ta->attrs[i].name);
	for (uint32_t j = 0; j < tb->nattrs; j++) {
		const struct schema_column *c = &tb->attrs[j];
		if (attr_at(ta, c->name) >= 0)
			continue;
		sb_adds(&sb, "ALTER TYPE ");
		schema_quote(&sb, tb->name);
		sb_adds(&sb, " ADD ATTRIBUTE ");
		schema_quote(&sb, c->name);
		sb_addf(&sb, " %s", c->type);
		if (c->collation)
			sb_addf(&sb, " COLLATE %s", c->collation);
		gen_stmt_end(g, &sb);
	}
	sb_free(&sb);
}

void pg_types_prepare(struct gen *g)
{
	const struct schema *a = g->a, *b = g->b;
	for (uint32_t i = 0; i < a->ntypes; i++) {
		const struct schema_type *ta = &a->types[i];
		if (g->ty_how[i] == GEN_ALTER && ta->kind == SCHEMA_ENUM)
			enum_changes(g, i);
		if (g->ty_how[i] != GEN_REBUILD)
			continue;
		const struct schema_type *tb = &b->types[g->ty_ab[i]];
		if (ta->kind == SCHEMA_ENUM && tb->kind == SCHEMA_ENUM) {
			struct strbuf lost = STRBUF_INIT;
			for (uint32_t k = 0; k < ta->nlabels; k++)
				if (label_at(tb->labels, tb->nlabels, ta->labels[k]) < 0)
					sb_addf(&lost, "%s'%s'", lost.len ? ", " : "", ta->labels[k]);
			gen_review(g, "%s %s%s: rebuilt as a new type, each column cast to it and the "
			           "old type dropped; the cast fails while a row holds a value that goes",
			           ta->name, lost.len ? "loses the value(s) " : "has its values reordered",
			           lost.len ? sb_str(&lost) : "");
			sb_free(&lost);
		} else {
			gen_review(g, "%s changes in a way ALTER %s cannot make: rebuilt as a new type, each "
			           "column cast to it through its text%s, and the old type dropped",
			           ta->name, type_word(ta),
			           ta->kind == SCHEMA_COMPOSITE ? " (attribute by position)" : "");
		}
		char *old = old_name(ta->name);
		char *fmt = xasprintf("ALTER %s %%s RENAME TO %%s", type_word(ta));
		gen_stmt_names(g, fmt, ta->name, old);
		free(fmt);
		free(old);
	}
}

/* The types of s marked in `set`, each once those it waits for are done:
 * made (s is b) after the types its definition names, or dropped (s is a,
 * a rebuilt one under its old name) before them. */
static void types_in_order(struct gen *g, const struct schema *s, const bool *set, bool drop)
{
	bool *done = xcalloc(s->ntypes + 1, sizeof *done);
	for (uint32_t round = 0; round <= s->ntypes; round++) {
		for (uint32_t i = 0; i < s->ntypes; i++) {
			if (!set[i] || done[i])
				continue;
			bool ready = true;
			for (uint32_t k = 0; k < s->ntypes && ready && round < s->ntypes; k++) {
				const struct schema_type *x = &s->types[drop ? k : i];
				const struct schema_type *y = &s->types[drop ? i : k];
				if (k != i && set[k] && !done[k] && type_mentions(x, y->name))
					ready = false;
			}
			if (!ready)
				continue;
			if (drop) {
				char *old = g->ty_how[i] == GEN_REBUILD ? old_name(s->types[i].name) : NULL;
				char *fmt = xasprintf("DROP %s %%s", type_word(&s->types[i]));
				gen_stmt_names(g, fmt, old ? old : s->types[i].name);
				free(fmt);
				free(old);
			} else {
				create_type(g, &s->types[i]);
			}
			done[i] = true;
		}
	}
	free(done);
}

void pg_types_make(struct gen *g, bool uses_funcs)
{
	const struct schema *a = g->a, *b = g->b;
	bool *set = xcalloc(b->ntypes + 1, sizeof *set);
	for (uint32_t j = 0; j < b->ntypes; j++)
		set[j] = g->ty_made[j] && b->types[j].uses_funcs == uses_funcs;
	types_in_order(g, b, set, false);
	free(set);
	for (uint32_t i = 0; i < a->ntypes; i++) {
		if (g->ty_how[i] != GEN_ALTER)
			continue;
		const struct schema_type *ta = &a->types[i], *tb = &b->types[g->ty_ab[i]];
		if (ta->kind == SCHEMA_DOMAIN && tb->uses_funcs == uses_funcs)
			domain_changes(g, ta, tb);
		else if (ta->kind == SCHEMA_COMPOSITE && !uses_funcs)
			composite_changes(g, ta, tb);
	}
}

void pg_types_finish(struct gen *g, bool rebuilt)
{
	const struct schema *a = g->a;
	bool *set = xcalloc(a->ntypes + 1, sizeof *set);
	for (uint32_t i = 0; i < a->ntypes; i++)
		set[i] = g->ty_how[i] == (rebuilt ? GEN_REBUILD : GEN_DROP);
	types_in_order(g, a, set, true);
	free(set);
}

/* ---- sequences ---- */

/* The column that owns q goes in the script (with its table, or alone). */
static bool owner_goes(const struct gen *g, const struct schema_sequence *q)
{
	if (!q->owned_table)
		return false;
	int32_t t = schema_table_at(g->a, q->owned_table);
	if (t < 0 || g->ta_b[t] < 0)
		return true;
	return schema_col_at(SQL_POSTGRES, &g->b->tables[g->ta_b[t]], q->owned_column) < 0;
}

static bool same_owner(const struct schema_sequence *a, const struct schema_sequence *b)
{
	return schema_str_eq(a->owned_table, b->owned_table) &&
	       schema_str_eq(a->owned_column, b->owned_column);
}

void pg_sequences_disown(struct gen *g)
{
	for (uint32_t i = 0; i < g->a->nsequences; i++) {
		const struct schema_sequence *q = &g->a->sequences[i];
		int32_t j = schema_sequence_at(g->b, q->name);
		if (j >= 0 && owner_goes(g, q))
			gen_stmt_names(g, "ALTER SEQUENCE %s OWNED BY NONE", q->name);
	}
}

static const char *start_of(const char *def)
{
	const char *p = strstr(def, " START WITH ");
	return p ? p + 12 : "";
}

void pg_sequences_make(struct gen *g)
{
	struct strbuf sb = STRBUF_INIT;
	for (uint32_t j = 0; j < g->b->nsequences; j++) {
		const struct schema_sequence *q = &g->b->sequences[j];
		int32_t i = schema_sequence_at(g->a, q->name);
		if (i >= 0 && strcmp(g->a->sequences[i].def, q->def) == 0)
			continue;
		if (i >= 0 && strncmp(start_of(g->a->sequences[i].def), start_of(q->def),
		                      strcspn(start_of(q->def), " ")) != 0)
			gen_review(g, "%s: START WITH is where RESTART goes back to; the next value "
			           "stays as it is (setval() moves it)", q->name);
		sb_adds(&sb, i >= 0 ? "ALTER SEQUENCE " : "CREATE SEQUENCE ");
		schema_quote(&sb, q->name);
		sb_addf(&sb, " %s", q->def);
		gen_stmt_end(g, &sb);
	}
	sb_free(&sb);
}

void pg_sequences_own(struct gen *g)
{
	for (uint32_t j = 0; j < g->b->nsequences; j++) {
		const struct schema_sequence *q = &g->b->sequences[j];
		int32_t i = schema_sequence_at(g->a, q->name);
		const struct schema_sequence *qa = i < 0 ? NULL : &g->a->sequences[i];
		/* disowned above when its owner went */
		bool none = !qa || owner_goes(g, qa) || !qa->owned_table;
		if (qa && same_owner(qa, q) && !owner_goes(g, qa))
			continue;
		if (q->owned_table) {
			struct strbuf sb = STRBUF_INIT;
			sb_adds(&sb, "ALTER SEQUENCE ");
			schema_quote(&sb, q->name);
			sb_adds(&sb, " OWNED BY ");
			schema_quote(&sb, q->owned_table);
			sb_addc(&sb, '.');
			schema_quote(&sb, q->owned_column);
			gen_stmt_end(g, &sb);
			sb_free(&sb);
		} else if (!none) {
			gen_stmt_names(g, "ALTER SEQUENCE %s OWNED BY NONE", q->name);
		}
	}
}

void pg_sequences_drop(struct gen *g)
{
	for (uint32_t i = 0; i < g->a->nsequences; i++) {
		const struct schema_sequence *q = &g->a->sequences[i];
		/* one whose owner goes went with it */
		if (schema_sequence_at(g->b, q->name) < 0 && !owner_goes(g, q))
			gen_stmt_names(g, "DROP SEQUENCE %s", q->name);
	}
}

/* ---- tables: what ALTER TABLE says beside columns and constraints ---- */

void pg_table_extras(struct gen *g, const struct schema_table *ta, const struct schema_table *tb)
{
	bool unlogged_a = ta && schema_str_eq(ta->options, "unlogged");
	bool unlogged_b = schema_str_eq(tb->options, "unlogged");
	if (ta && unlogged_a != unlogged_b)
		gen_stmt_names(g, unlogged_b ? "ALTER TABLE %s SET UNLOGGED" : "ALTER TABLE %s SET LOGGED",
		               tb->name);
	if ((ta && ta->rls) != tb->rls)
		gen_stmt_names(g, tb->rls ? "ALTER TABLE %s ENABLE ROW LEVEL SECURITY"
		                          : "ALTER TABLE %s DISABLE ROW LEVEL SECURITY", tb->name);
	if ((ta && ta->rls_forced) != tb->rls_forced)
		gen_stmt_names(g, tb->rls_forced ? "ALTER TABLE %s FORCE ROW LEVEL SECURITY"
		                                 : "ALTER TABLE %s NO FORCE ROW LEVEL SECURITY", tb->name);
	if (ta && ta->parent && tb->parent &&
	    (strcmp(ta->parent, tb->parent) != 0 || strcmp(ta->bound, tb->bound) != 0)) {
		/* the rows stay; ATTACH checks that they fit the new bounds */
		gen_stmt_names(g, "ALTER TABLE %s DETACH PARTITION %s", ta->parent, ta->name);
		struct strbuf sb = STRBUF_INIT;
		sb_adds(&sb, "ALTER TABLE ");
		schema_quote(&sb, tb->parent);
		sb_adds(&sb, " ATTACH PARTITION ");
		schema_quote(&sb, tb->name);
		sb_addf(&sb, " %s", tb->bound);
		gen_stmt_end(g, &sb);
		sb_free(&sb);
	}
}

/* ---- grants and comments ---- */

/* What an object holds when it is created: EXECUTE on a function and
 * USAGE on a type for PUBLIC; nothing for the rest. */
static const struct schema_grant public_execute = {"PUBLIC", "EXECUTE", false};
static const struct schema_grant public_usage = {"PUBLIC", "USAGE", false};

static bool has_grant(const struct schema_grants *g, const struct schema_grant *x)
{
	for (uint32_t i = 0; i < g->n; i++)
		if (strcmp(g->v[i].grantee, x->grantee) == 0 &&
		    strcmp(g->v[i].privilege, x->privilege) == 0 && g->v[i].grantable == x->grantable)
			return true;
	return false;
}

/* A column privilege ("SELECT (email)") on a column tb no longer has. */
static bool column_gone(const struct schema_table *tb, const char *privilege)
{
	const char *open = strchr(privilege, '(');
	if (!tb || !open)
		return false;
	size_t n = strlen(open + 1);
	char *quoted = xstrndup(open + 1, n ? n - 1 : 0);
	char *col = quoted[0] == '"' ? schema_unquote(quoted, strlen(quoted)) : xstrdup(quoted);
	bool gone = schema_col_at(SQL_POSTGRES, tb, col) < 0;
	free(quoted);
	free(col);
	return gone;
}

/* The REVOKE and GRANT statements that turn `from` into `to` on an object
 * ("TABLE users", "FUNCTION f(integer)"); tb, for a table, to leave out a
 * column that goes. */
static void grant_changes(struct gen *g, const char *what, const struct schema_grants *from,
                          const struct schema_grants *to, const struct schema_table *tb)
{
	struct strbuf sb = STRBUF_INIT;
	for (uint32_t i = 0; i < from->n; i++) {
		const struct schema_grant *x = &from->v[i];
		if (has_grant(to, x) || column_gone(tb, x->privilege))
			continue;
		sb_addf(&sb, "REVOKE %s ON %s FROM %s", x->privilege, what, x->grantee);
		gen_stmt_end(g, &sb);
	}
	for (uint32_t i = 0; i < to->n; i++) {
		const struct schema_grant *x = &to->v[i];
		if (has_grant(from, x))
			continue;
		sb_addf(&sb, "GRANT %s ON %s TO %s%s", x->privilege, what, x->grantee,
		        x->grantable ? " WITH GRANT OPTION" : "");
		gen_stmt_end(g, &sb);
	}
	sb_free(&sb);
}

static void comment_on(struct gen *g, const char *what, const char *comment)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "COMMENT ON %s IS ", what);
	if (comment)
		schema_literal(&sb, comment);
	else
		sb_adds(&sb, "NULL");
	gen_stmt_end(g, &sb);
	sb_free(&sb);
}

/* An object's grants and comment: as it is made (made), or as it
 * changes from a_comment and a_grants. */
static void meta_changes(struct gen *g, const char *what, bool made, const char *a_comment,
                         const char *b_comment, const struct schema_grants *a_grants,
                         const struct schema_grants *b_grants,
                         const struct schema_grants *defaults, const struct schema_table *tb)
{
	grant_changes(g, what, made ? defaults : a_grants, b_grants, tb);
	if (made ? b_comment != NULL : !schema_str_eq(a_comment, b_comment))
		comment_on(g, what, b_comment);
}

static char *named(const char *word, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s ", word);
	schema_quote(&sb, name);
	return sb_detach(&sb);
}

static void table_meta(struct gen *g, uint32_t j)
{
	static const struct schema_grants none = {0};
	const struct schema_table *tb = &g->b->tables[j];
	const struct schema_table *ta = g->tb_a[j] < 0 ? NULL : &g->a->tables[g->tb_a[j]];
	char *what = named("TABLE", tb->name);
	meta_changes(g, what, !ta, ta ? ta->comment : NULL, tb->comment, ta ? &ta->grants : &none,
	             &tb->grants, &none, tb);
	free(what);
	for (uint32_t k = 0; k < tb->ncols; k++) {
		const struct schema_column *cb = &tb->cols[k];
		int32_t c = ta ? schema_col_at(SQL_POSTGRES, ta, cb->name) : -1;
		const struct schema_column *ca = c < 0 ? NULL : &ta->cols[c];
		/* a generated column that changes is added again */
		bool made = !ca || !schema_str_eq(ca->generated, cb->generated) ||
		            (ca->generated && (ca->stored != cb->stored ||
		                               gen_mentions_rebuilt(g, ca->generated)));
		if (made ? !cb->comment : schema_str_eq(ca->comment, cb->comment))
			continue;
		struct strbuf sb = STRBUF_INIT;
		sb_adds(&sb, "COLUMN ");
		schema_quote(&sb, tb->name);
		sb_addc(&sb, '.');
		schema_quote(&sb, cb->name);
		comment_on(g, sb_str(&sb), cb->comment);
		sb_free(&sb);
	}
}

void pg_grants_and_comments(struct gen *g)
{
	static const struct schema_grants none = {0};
	const struct schema_grants on_function = {(struct schema_grant *)&public_execute, 1};
	const struct schema_grants on_type = {(struct schema_grant *)&public_usage, 1};
	const struct schema *a = g->a, *b = g->b;
	for (uint32_t j = 0; j < b->ntypes; j++) {
		const struct schema_type *tb = &b->types[j];
		const struct schema_type *ta = g->ty_ba[j] < 0 ? NULL : &a->types[g->ty_ba[j]];
		char *what = named(type_word(tb), tb->name);
		meta_changes(g, what, g->ty_made[j], ta ? ta->comment : NULL, tb->comment,
		             ta ? &ta->grants : &none, &tb->grants, &on_type, NULL);
		free(what);
	}
	for (uint32_t j = 0; j < b->nsequences; j++) {
		const struct schema_sequence *qb = &b->sequences[j];
		int32_t i = schema_sequence_at(a, qb->name);
		const struct schema_sequence *qa = i < 0 ? NULL : &a->sequences[i];
		char *what = named("SEQUENCE", qb->name);
		meta_changes(g, what, !qa, qa ? qa->comment : NULL, qb->comment,
		             qa ? &qa->grants : &none, &qb->grants, &none, NULL);
		free(what);
	}
	for (uint32_t j = 0; j < b->nfunctions; j++) {
		const struct schema_function *fb = &b->functions[j];
		int32_t i = g->fn_ba[j];
		const struct schema_function *fa = i < 0 ? NULL : &a->functions[i];
		char *what = xasprintf("%s %s", routine(fb), fb->sig);
		meta_changes(g, what, !fa || g->fn_how[i] == GEN_RECREATE, fa ? fa->comment : NULL,
		             fb->comment, fa ? &fa->grants : &none, &fb->grants, &on_function, NULL);
		free(what);
	}
	for (uint32_t j = 0; j < b->ntables; j++)
		table_meta(g, j);
	for (uint32_t j = 0; j < b->nviews; j++) {
		const struct schema_view *vb = &b->views[j];
		int32_t i = schema_view_at(a, vb->name);
		const struct schema_view *va = i < 0 ? NULL : &a->views[i];
		char *what = named(vb->materialized ? "MATERIALIZED VIEW" : "VIEW", vb->name);
		char *as_table = named("TABLE", vb->name);
		grant_changes(g, as_table, g->view_make[j] || !va ? &none : &va->grants, &vb->grants,
		              NULL);
		if (g->view_make[j] || !va ? vb->comment != NULL : !schema_str_eq(va->comment, vb->comment))
			comment_on(g, what, vb->comment);
		free(as_table);
		free(what);
	}
}

/* ---- the step outside a transaction ---- */

struct schema *pg_enum_mid(const struct schema *a, const struct schema *b, struct arena *keep)
{
	struct schema *mid = arena_alloc(keep, sizeof *mid);
	*mid = *a;
	mid->types = arena_alloc(keep, (a->ntypes + 1) * sizeof *mid->types);
	memcpy(mid->types, a->types, a->ntypes * sizeof *mid->types);
	for (uint32_t i = 0; i < a->ntypes; i++) {
		const struct schema_type *ta = &a->types[i];
		int32_t j = schema_type_at(b, ta->name);
		if (j < 0 || ta->kind != SCHEMA_ENUM || b->types[j].kind != SCHEMA_ENUM)
			continue;
		const struct schema_type *tb = &b->types[j];
		struct enum_edit e;
		if (enum_edit(ta, tb, &e)) {
			const char **labels = arena_alloc(keep, (tb->nlabels + 1) * sizeof *labels);
			for (uint32_t k = 0; k < tb->nlabels; k++)
				labels[k] = mid_label(&e, tb, k);
			mid->types[i].labels = labels;
			mid->types[i].nlabels = tb->nlabels;
		}
		enum_edit_free(&e);
	}
	return mid;
}
