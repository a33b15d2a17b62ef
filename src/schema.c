/* schema.c: the model, its comparison and the drift lines. */
#include "schema_impl.h"
#include "sqltoks.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- building ---- */

struct schema *schema_new(enum sql_dialect dialect)
{
	struct schema *s = xcalloc(1, sizeof *s);
	s->dialect = dialect;
	arena_init(&s->arena);
	return s;
}

void schema_free(struct schema *s)
{
	if (!s)
		return;
	for (uint32_t i = 0; i < s->ntables; i++) {
		free(s->tables[i].cols);
		free(s->tables[i].cons);
	}
	for (uint32_t i = 0; i < s->ntypes; i++) {
		free(s->types[i].cons);
		free(s->types[i].attrs);
	}
	free(s->tables);
	free(s->indexes);
	free(s->views);
	free(s->triggers);
	free(s->types);
	free(s->sequences);
	free(s->functions);
	free(s->extensions);
	free(s->policies);
	free(s->uncompared);
	arena_free(&s->arena);
	free(s);
}

const char *schema_str(struct schema *s, const char *str)
{
	return str ? arena_strdup(&s->arena, str) : NULL;
}

const char **schema_strs(struct schema *s, const char *const *v, uint32_t n)
{
	if (!n)
		return NULL;
	const char **out = arena_alloc(&s->arena, n * sizeof *out);
	for (uint32_t i = 0; i < n; i++)
		out[i] = schema_str(s, v[i]);
	return out;
}

/* Grows *v (elements of size) to hold one more; returns the new, zeroed slot. */
static void *grow(void *vp, uint32_t *n, uint32_t *cap, size_t size)
{
	void **v = vp;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*v = xrealloc(*v, *cap * size);
	}
	char *slot = (char *)*v + (size_t)(*n)++ * size;
	memset(slot, 0, size);
	return slot;
}

struct schema_table *schema_add_table(struct schema *s, const char *name)
{
	struct schema_table *t = grow(&s->tables, &s->ntables, &s->tables_cap, sizeof *t);
	t->name = schema_str(s, name);
	return t;
}

struct schema_column *schema_add_column(struct schema *s, struct schema_table *t,
                                        const char *name, const char *type,
                                        bool notnull, const char *dflt)
{
	struct schema_column *c = grow(&t->cols, &t->ncols, &t->cols_cap, sizeof *c);
	c->name = schema_str(s, name);
	c->type = schema_str(s, type ? type : "");
	c->notnull = notnull;
	c->dflt = schema_str(s, dflt);
	return c;
}

struct schema_constraint *schema_add_constraint(struct schema *s,
                                                struct schema_table *t,
                                                enum schema_con_kind kind,
                                                const char *name, const char *def,
                                                const char *const *cols,
                                                uint32_t ncols)
{
	struct schema_constraint *c = grow(&t->cons, &t->ncons, &t->cons_cap, sizeof *c);
	c->kind = kind;
	c->name = schema_str(s, name);
	c->def = schema_str(s, def);
	c->cols = schema_strs(s, cols, ncols);
	c->ncols = ncols;
	return c;
}

struct schema_index *schema_add_index(struct schema *s, const char *table,
                                      const char *name, bool unique,
                                      const char *def, const char *sql,
                                      const char *const *cols, uint32_t ncols)
{
	struct schema_index *x = grow(&s->indexes, &s->nindexes, &s->indexes_cap, sizeof *x);
	x->name = schema_str(s, name);
	x->table = schema_str(s, table);
	x->unique = unique;
	x->def = schema_str(s, def);
	x->sql = schema_str(s, sql);
	x->cols = schema_strs(s, cols, ncols);
	x->ncols = ncols;
	return x;
}

struct schema_view *schema_add_view(struct schema *s, const char *name,
                                    const char *def, const char *sql,
                                    const char *const *deps, uint32_t ndeps)
{
	struct schema_view *v = grow(&s->views, &s->nviews, &s->views_cap, sizeof *v);
	v->name = schema_str(s, name);
	v->def = schema_str(s, def);
	v->sql = schema_str(s, sql);
	v->deps = schema_strs(s, deps, ndeps);
	v->ndeps = ndeps;
	return v;
}

struct schema_trigger *schema_add_trigger(struct schema *s, const char *table,
                                          const char *name, const char *def,
                                          const char *sql,
                                          const char *const *deps, uint32_t ndeps)
{
	struct schema_trigger *t = grow(&s->triggers, &s->ntriggers, &s->triggers_cap,
	                                sizeof *t);
	t->name = schema_str(s, name);
	t->table = schema_str(s, table);
	t->def = schema_str(s, def);
	t->sql = schema_str(s, sql);
	t->deps = schema_strs(s, deps, ndeps);
	t->ndeps = ndeps;
	return t;
}

struct schema_type *schema_add_type(struct schema *s, const char *name, char kind,
                                    const char *ref)
{
	struct schema_type *t = grow(&s->types, &s->ntypes, &s->types_cap, sizeof *t);
	t->name = schema_str(s, name);
	t->kind = kind;
	t->ref = schema_str(s, ref ? ref : name);
	return t;
}

void schema_set_labels(struct schema *s, struct schema_type *t,
                       const char *const *labels, uint32_t n)
{
	t->labels = schema_strs(s, labels, n);
	t->nlabels = n;
}

struct schema_constraint *schema_add_domain_check(struct schema *s, struct schema_type *t,
                                                  const char *name, const char *def)
{
	struct schema_constraint *c = grow(&t->cons, &t->ncons, &t->cons_cap, sizeof *c);
	c->kind = SCHEMA_CHECK;
	c->name = schema_str(s, name);
	c->def = schema_str(s, def);
	return c;
}

struct schema_column *schema_add_attribute(struct schema *s, struct schema_type *t,
                                           const char *name, const char *type)
{
	struct schema_column *c = grow(&t->attrs, &t->nattrs, &t->attrs_cap, sizeof *c);
	c->name = schema_str(s, name);
	c->type = schema_str(s, type);
	return c;
}

struct schema_sequence *schema_add_sequence(struct schema *s, const char *name,
                                            const char *def)
{
	struct schema_sequence *q = grow(&s->sequences, &s->nsequences, &s->sequences_cap,
	                                 sizeof *q);
	q->name = schema_str(s, name);
	q->def = schema_str(s, def);
	return q;
}

const char *schema_sig(struct schema *s, const char *name, const char *args)
{
	struct strbuf sb = STRBUF_INIT;
	schema_quote(&sb, name);
	sb_addf(&sb, "(%s)", args);
	const char *r = schema_str(s, sb_str(&sb));
	sb_free(&sb);
	return r;
}

struct schema_function *schema_add_function(struct schema *s, const char *name,
                                            const char *args, char kind,
                                            const char *result, const char *arguments,
                                            const char *def)
{
	struct schema_function *f = grow(&s->functions, &s->nfunctions, &s->functions_cap,
	                                 sizeof *f);
	f->name = schema_str(s, name);
	f->args = schema_str(s, args);
	f->sig = schema_sig(s, name, args);
	f->kind = kind;
	f->result = schema_str(s, result);
	f->arguments = schema_str(s, arguments);
	f->def = schema_str(s, def);
	return f;
}

struct schema_extension *schema_add_extension(struct schema *s, const char *name,
                                              const char *schema)
{
	struct schema_extension *e = grow(&s->extensions, &s->nextensions,
	                                  &s->extensions_cap, sizeof *e);
	e->name = schema_str(s, name);
	e->schema = schema_str(s, schema);
	return e;
}

struct schema_policy *schema_add_policy(struct schema *s, const char *table,
                                        const char *name, const char *def)
{
	struct schema_policy *p = grow(&s->policies, &s->npolicies, &s->policies_cap,
	                               sizeof *p);
	p->name = schema_str(s, name);
	p->table = schema_str(s, table);
	p->def = schema_str(s, def);
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "CREATE POLICY ");
	schema_quote(&sb, name);
	sb_adds(&sb, " ON ");
	schema_quote(&sb, table);
	sb_addf(&sb, " %s", def);
	p->sql = schema_str(s, sb_str(&sb));
	sb_free(&sb);
	return p;
}

void schema_set_grants(struct schema *s, struct schema_grants *g,
                       const struct schema_grant *v, uint32_t n)
{
	g->v = n ? arena_alloc(&s->arena, n * sizeof *g->v) : NULL;
	g->n = n;
	for (uint32_t i = 0; i < n; i++) {
		g->v[i].grantee = schema_str(s, v[i].grantee);
		g->v[i].privilege = schema_str(s, v[i].privilege);
		g->v[i].grantable = v[i].grantable;
	}
}

void schema_add_uncompared(struct schema *s, const char *what)
{
	const char **slot = grow(&s->uncompared, &s->nuncompared, &s->uncompared_cap,
	                         sizeof *slot);
	*slot = schema_str(s, what);
}

/* qsort has no context argument: names are compared bytewise, which
 * orders both dialects deterministically. */
static int by_table_name(const void *x, const void *y)
{
	return strcmp(((const struct schema_table *)x)->name,
	              ((const struct schema_table *)y)->name);
}

static int by_index_name(const void *x, const void *y)
{
	const struct schema_index *a = x, *b = y;
	int c = strcmp(a->table, b->table);
	return c ? c : strcmp(a->name, b->name);
}

static int by_view_name(const void *x, const void *y)
{
	return strcmp(((const struct schema_view *)x)->name,
	              ((const struct schema_view *)y)->name);
}

static int by_trigger_name(const void *x, const void *y)
{
	const struct schema_trigger *a = x, *b = y;
	int c = strcmp(a->table, b->table);
	return c ? c : strcmp(a->name, b->name);
}

static int by_type_name(const void *x, const void *y)
{
	return strcmp(((const struct schema_type *)x)->name,
	              ((const struct schema_type *)y)->name);
}

static int by_sequence_name(const void *x, const void *y)
{
	return strcmp(((const struct schema_sequence *)x)->name,
	              ((const struct schema_sequence *)y)->name);
}

static int by_function_sig(const void *x, const void *y)
{
	const struct schema_function *a = x, *b = y;
	int c = strcmp(a->name, b->name);
	return c ? c : strcmp(a->args, b->args);
}

static int by_extension_name(const void *x, const void *y)
{
	return strcmp(((const struct schema_extension *)x)->name,
	              ((const struct schema_extension *)y)->name);
}

static int by_policy_name(const void *x, const void *y)
{
	const struct schema_policy *a = x, *b = y;
	int c = strcmp(a->table, b->table);
	return c ? c : strcmp(a->name, b->name);
}

static int by_grant(const void *x, const void *y)
{
	const struct schema_grant *a = x, *b = y;
	int c = strcmp(a->privilege, b->privilege);
	if (!c)
		c = strcmp(a->grantee, b->grantee);
	return c ? c : (int)a->grantable - (int)b->grantable;
}

static int by_string(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void sort_grants(struct schema_grants *g)
{
	if (g->n > 1)
		qsort(g->v, g->n, sizeof *g->v, by_grant);
}

void schema_sort(struct schema *s)
{
	if (s->ntables)
		qsort(s->tables, s->ntables, sizeof *s->tables, by_table_name);
	if (s->nindexes)
		qsort(s->indexes, s->nindexes, sizeof *s->indexes, by_index_name);
	if (s->nviews)
		qsort(s->views, s->nviews, sizeof *s->views, by_view_name);
	if (s->ntriggers)
		qsort(s->triggers, s->ntriggers, sizeof *s->triggers, by_trigger_name);
	if (s->ntypes)
		qsort(s->types, s->ntypes, sizeof *s->types, by_type_name);
	if (s->nsequences)
		qsort(s->sequences, s->nsequences, sizeof *s->sequences, by_sequence_name);
	if (s->nfunctions)
		qsort(s->functions, s->nfunctions, sizeof *s->functions, by_function_sig);
	if (s->nextensions)
		qsort(s->extensions, s->nextensions, sizeof *s->extensions, by_extension_name);
	if (s->npolicies)
		qsort(s->policies, s->npolicies, sizeof *s->policies, by_policy_name);
	if (s->nuncompared)
		qsort(s->uncompared, s->nuncompared, sizeof *s->uncompared, by_string);
	for (uint32_t i = 0; i < s->ntables; i++)
		sort_grants(&s->tables[i].grants);
	for (uint32_t i = 0; i < s->nviews; i++)
		sort_grants(&s->views[i].grants);
	for (uint32_t i = 0; i < s->ntypes; i++)
		sort_grants(&s->types[i].grants);
	for (uint32_t i = 0; i < s->nsequences; i++)
		sort_grants(&s->sequences[i].grants);
	for (uint32_t i = 0; i < s->nfunctions; i++)
		sort_grants(&s->functions[i].grants);
}

bool schema_name_eq(enum sql_dialect d, const char *a, const char *b)
{
	return d == SQL_SQLITE ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

bool schema_str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

int32_t schema_table_at(const struct schema *s, const char *name)
{
	for (uint32_t i = 0; i < s->ntables; i++)
		if (schema_name_eq(s->dialect, s->tables[i].name, name))
			return (int32_t)i;
	return -1;
}

int32_t schema_col_at(enum sql_dialect d, const struct schema_table *t, const char *name)
{
	for (uint32_t i = 0; i < t->ncols; i++)
		if (schema_name_eq(d, t->cols[i].name, name))
			return (int32_t)i;
	return -1;
}

int32_t schema_index_at(const struct schema *s, const char *name)
{
	for (uint32_t i = 0; i < s->nindexes; i++)
		if (schema_name_eq(s->dialect, s->indexes[i].name, name))
			return (int32_t)i;
	return -1;
}

int32_t schema_view_at(const struct schema *s, const char *name)
{
	for (uint32_t i = 0; i < s->nviews; i++)
		if (schema_name_eq(s->dialect, s->views[i].name, name))
			return (int32_t)i;
	return -1;
}

int32_t schema_trigger_at(const struct schema *s, const char *table, const char *name)
{
	for (uint32_t i = 0; i < s->ntriggers; i++)
		if (schema_name_eq(s->dialect, s->triggers[i].name, name) &&
		    (s->dialect == SQL_SQLITE || strcmp(s->triggers[i].table, table) == 0))
			return (int32_t)i;
	return -1;
}

int32_t schema_type_at(const struct schema *s, const char *name)
{
	for (uint32_t i = 0; i < s->ntypes; i++)
		if (strcmp(s->types[i].name, name) == 0)
			return (int32_t)i;
	return -1;
}

int32_t schema_sequence_at(const struct schema *s, const char *name)
{
	for (uint32_t i = 0; i < s->nsequences; i++)
		if (strcmp(s->sequences[i].name, name) == 0)
			return (int32_t)i;
	return -1;
}

int32_t schema_function_at(const struct schema *s, const char *name, const char *args)
{
	for (uint32_t i = 0; i < s->nfunctions; i++)
		if (strcmp(s->functions[i].name, name) == 0 && strcmp(s->functions[i].args, args) == 0)
			return (int32_t)i;
	return -1;
}

int32_t schema_function_sig_at(const struct schema *s, const char *sig)
{
	for (uint32_t i = 0; i < s->nfunctions; i++)
		if (strcmp(s->functions[i].sig, sig) == 0)
			return (int32_t)i;
	return -1;
}

int32_t schema_extension_at(const struct schema *s, const char *name)
{
	for (uint32_t i = 0; i < s->nextensions; i++)
		if (strcmp(s->extensions[i].name, name) == 0)
			return (int32_t)i;
	return -1;
}

int32_t schema_policy_at(const struct schema *s, const char *table, const char *name)
{
	for (uint32_t i = 0; i < s->npolicies; i++)
		if (strcmp(s->policies[i].name, name) == 0 && strcmp(s->policies[i].table, table) == 0)
			return (int32_t)i;
	return -1;
}

struct schema_type *schema_find_type(const struct schema *s, const char *name)
{
	int32_t i = schema_type_at(s, name);
	return i < 0 ? NULL : &s->types[i];
}

struct schema_table *schema_find_table(const struct schema *s, const char *name)
{
	int32_t i = schema_table_at(s, name);
	return i < 0 ? NULL : &s->tables[i];
}

struct schema_view *schema_find_view(const struct schema *s, const char *name)
{
	int32_t i = schema_view_at(s, name);
	return i < 0 ? NULL : &s->views[i];
}

/* ---- SQL text ---- */

static bool plain_ident(const char *s, size_t n)
{
	if (!n || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return false;
	return true;
}

/* s between q quotes, a quote inside doubled. */
static void add_quoted(struct strbuf *sb, const char *s, char q)
{
	sb_addc(sb, q);
	for (; *s; s++) {
		if (*s == q)
			sb_addc(sb, q);
		sb_addc(sb, *s);
	}
	sb_addc(sb, q);
}

void schema_literal(struct strbuf *sb, const char *text)
{
	add_quoted(sb, text, '\'');
}

char *schema_unquote(const char *s, size_t n)
{
	char *out = xmalloc(n + 1);
	sql_unquote(s, n, out);
	return out;
}

static bool tok_is(const struct sqllex *lx, const struct sql_token *t, char c)
{
	return t->type == SQL_TOK_PUNCT && t->len == 1 && lx->text[t->off] == c;
}

char *schema_norm_sql(const char *sql, size_t len, enum sql_dialect d)
{
	struct sqllex lx;
	struct sql_token t;
	struct strbuf sb = STRBUF_INIT;
	/* glue: no space after the previous token ("(", ".", a sign); word:
	 * the previous token names something, so a "(" after it is a call;
	 * operand: an operator here would be binary */
	bool first = true, glue = false, word = false, operand = false;
	sqllex_init(&lx, sql, len, d, 1);
	for (sqllex_next(&lx, &t); t.type != SQL_TOK_EOF; sqllex_next(&lx, &t)) {
		if (t.type == SQL_TOK_COMMENT)
			continue;
		const char *p = sql + t.off;
		bool close = tok_is(&lx, &t, ')') || tok_is(&lx, &t, ',') ||
		             tok_is(&lx, &t, '.') || tok_is(&lx, &t, ';');
		bool open = tok_is(&lx, &t, '(');
		if (!first && !glue && !close && !(open && word))
			sb_addc(&sb, ' ');
		if (t.type == SQL_TOK_WORD) {
			for (size_t i = 0; i < t.len; i++)
				sb_addc(&sb, (char)tolower((unsigned char)p[i]));
		} else if (t.type == SQL_TOK_QIDENT && d == SQL_SQLITE) {
			char *name = schema_unquote(p, t.len);
			if (plain_ident(name, strlen(name))) {
				for (char *q = name; *q; q++)
					*q = (char)tolower((unsigned char)*q);
				sb_adds(&sb, name);
			} else {
				add_quoted(&sb, name, '"');
			}
			free(name);
		} else {
			sb_addn(&sb, p, t.len);
		}
		bool sign = (tok_is(&lx, &t, '-') || tok_is(&lx, &t, '+')) && !operand;
		glue = open || sign || tok_is(&lx, &t, '.');
		word = t.type == SQL_TOK_WORD || t.type == SQL_TOK_QIDENT;
		operand = t.type != SQL_TOK_PUNCT || tok_is(&lx, &t, ')');
		first = false;
	}
	return sb_detach(&sb);
}

/* Words that must be quoted as identifiers in PostgreSQL (reserved, and
 * those that cannot name a function or type) or SQLite. Sorted. */
static const char *const keywords[] = {
	"abort", "action", "add", "after", "all", "alter", "always", "analyse",
	"analyze", "and", "any", "array", "as", "asc", "asymmetric", "attach",
	"authorization", "autoincrement", "before", "begin", "between", "bigint",
	"binary", "bit", "boolean", "both", "by", "cascade", "case", "cast", "char",
	"character", "check", "coalesce", "collate", "collation", "column", "commit",
	"concurrently", "conflict", "constraint", "create", "cross", "current",
	"current_catalog", "current_date", "current_role", "current_schema",
	"current_time", "current_timestamp", "current_user", "database", "dec",
	"decimal", "default", "deferrable", "deferred", "delete", "desc", "detach",
	"distinct", "do", "drop", "each", "else", "end", "escape", "except",
	"exclude", "exclusive", "exists", "explain", "extract", "fail", "false",
	"fetch", "filter", "first", "float", "following", "for", "foreign", "freeze",
	"from", "full", "generated", "glob", "grant", "greatest", "group", "grouping",
	"groups", "having", "if", "ignore", "ilike", "immediate", "in", "index",
	"indexed", "initially", "inner", "inout", "insert", "instead", "int",
	"integer", "intersect", "interval", "into", "is", "isnull", "join", "key",
	"last", "lateral", "leading", "least", "left", "like", "limit", "localtime",
	"localtimestamp", "match", "materialized", "national", "natural", "nchar",
	"no", "none", "normalize", "not", "nothing", "notnull", "null", "nullif",
	"nulls", "numeric", "of", "offset", "on", "only", "or", "order", "others",
	"out", "outer", "over", "overlaps", "overlay", "partition", "placing",
	"plan", "position", "pragma", "preceding", "precision", "primary", "query",
	"raise", "range", "real", "recursive", "references", "regexp", "reindex",
	"release", "rename", "replace", "restrict", "returning", "right",
	"rollback", "row", "rows", "savepoint", "select", "session_user", "set",
	"setof", "similar", "smallint", "some", "substring", "symmetric",
	"system_user", "table", "tablesample", "temp", "temporary", "then", "ties",
	"time", "timestamp", "to", "trailing", "transaction", "treat", "trigger",
	"trim", "true", "unbounded", "union", "unique", "update", "user", "using",
	"vacuum", "values", "varchar", "variadic", "verbose", "view", "virtual",
	"when", "where", "window", "with", "without",
};

static int cmp_kw(const void *key, const void *elt)
{
	return strcmp(key, *(const char *const *)elt);
}

void schema_quote(struct strbuf *sb, const char *name)
{
	bool bare = *name && !isdigit((unsigned char)*name);
	for (const char *p = name; *p && bare; p++)
		bare = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
	if (bare && bsearch(name, keywords, RT_ARRAY_LEN(keywords), sizeof *keywords,
	                    cmp_kw))
		bare = false;
	if (bare)
		sb_adds(sb, name);
	else
		add_quoted(sb, name, '"');
}

bool schema_sql_mentions(const char *sql, enum sql_dialect d, const char *name)
{
	struct sqllex lx;
	struct sql_token t;
	sqllex_init(&lx, sql, strlen(sql), d, 1);
	for (sqllex_next(&lx, &t); t.type != SQL_TOK_EOF; sqllex_next(&lx, &t)) {
		bool hit = false;
		if (t.type == SQL_TOK_WORD) {
			/* a bare word: case-insensitive in both dialects */
			hit = strlen(name) == t.len && strncasecmp(sql + t.off, name, t.len) == 0;
		} else if (t.type == SQL_TOK_QIDENT ||
		           (d == SQL_SQLITE && t.type == SQL_TOK_STRING)) {
			/* SQLite reads a quoted string where a name is expected as
			 * the name */
			char *n = schema_unquote(sql + t.off, t.len);
			hit = schema_name_eq(d, n, name);
			free(n);
		}
		if (hit)
			return true;
	}
	return false;
}

/* ---- comparing ---- */

const char *schema_col_type(const struct schema_column *c)
{
	if (c->serial) {
		if (strcmp(c->type, "bigint") == 0)
			return "bigserial";
		if (strcmp(c->type, "smallint") == 0)
			return "smallserial";
		return "serial";
	}
	return c->type;
}

unsigned schema_col_diff(const struct schema_column *a, const struct schema_column *b)
{
	unsigned d = 0;
	if (strcmp(a->type, b->type) != 0 || a->serial != b->serial)
		d |= SCHEMA_COL_TYPE;
	if (a->notnull != b->notnull)
		d |= SCHEMA_COL_NULL;
	if (!schema_str_eq(a->dflt, b->dflt))
		d |= SCHEMA_COL_DEFAULT;
	if (!schema_str_eq(a->collation, b->collation))
		d |= SCHEMA_COL_COLLATION;
	if (!schema_str_eq(a->generated, b->generated) ||
	    (a->generated && a->stored != b->stored))
		d |= SCHEMA_COL_GENERATED;
	if (a->identity != b->identity)
		d |= SCHEMA_COL_IDENTITY;
	return d;
}

static bool name_same(enum sql_dialect d, const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return schema_name_eq(d, a, b);
}

bool schema_con_same(enum sql_dialect d, const struct schema_constraint *a,
                     const struct schema_constraint *b)
{
	return a->kind == b->kind && name_same(d, a->name, b->name) &&
	       strcmp(a->def, b->def) == 0;
}

bool schema_index_same(enum sql_dialect d, const struct schema_index *a,
                       const struct schema_index *b)
{
	return a->unique == b->unique && schema_name_eq(d, a->table, b->table) &&
	       strcmp(a->def, b->def) == 0;
}

void schema_match_cons(enum sql_dialect d, const struct schema_table *a,
                       const struct schema_table *b, int32_t *a_to_b, int32_t *b_to_a)
{
	for (uint32_t i = 0; i < a->ncons; i++)
		a_to_b[i] = -1;
	for (uint32_t j = 0; j < b->ncons; j++)
		b_to_a[j] = -1;
	/* three passes, strictest first, so that an unchanged constraint is
	 * never taken as another's rename */
	for (int pass = 0; pass < 3; pass++) {
		for (uint32_t j = 0; j < b->ncons; j++) {
			const struct schema_constraint *cb = &b->cons[j];
			for (uint32_t i = 0; i < a->ncons && b_to_a[j] < 0; i++) {
				const struct schema_constraint *ca = &a->cons[i];
				if (a_to_b[i] >= 0 || ca->kind != cb->kind)
					continue;
				bool same_def = strcmp(ca->def, cb->def) == 0;
				bool hit = pass == 0 ? same_def && name_same(d, ca->name, cb->name)
				         : pass == 1 ? same_def
				         : ca->kind == SCHEMA_PRIMARY ||
				           (ca->name && cb->name && schema_name_eq(d, ca->name, cb->name));
				if (hit) {
					a_to_b[i] = (int32_t)j;
					b_to_a[j] = (int32_t)i;
				}
			}
		}
	}
}

void schema_deltas_free(struct schema_deltas *d)
{
	free(d->v);
	arena_free(&d->arena);
	memset(d, 0, sizeof *d);
}

bool schema_grants_eq(const struct schema_grants *a, const struct schema_grants *b)
{
	if (a->n != b->n)
		return false;
	for (uint32_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].grantee, b->v[i].grantee) != 0 ||
		    strcmp(a->v[i].privilege, b->v[i].privilege) != 0 ||
		    a->v[i].grantable != b->v[i].grantable)
			return false;
	return true;
}

void schema_grants_text(struct strbuf *sb, const struct schema_grants *g)
{
	if (!g->n)
		sb_adds(sb, "none");
	for (uint32_t i = 0; i < g->n; i++)
		sb_addf(sb, "%s%s TO %s%s", i ? ", " : "", g->v[i].privilege, g->v[i].grantee,
		        g->v[i].grantable ? " WITH GRANT OPTION" : "");
}

void schema_type_body(struct strbuf *sb, const struct schema_type *t)
{
	switch (t->kind) {
	case SCHEMA_ENUM:
		sb_adds(sb, "AS ENUM (");
		for (uint32_t i = 0; i < t->nlabels; i++) {
			if (i)
				sb_adds(sb, ", ");
			schema_literal(sb, t->labels[i]);
		}
		sb_addc(sb, ')');
		break;
	case SCHEMA_COMPOSITE:
		sb_adds(sb, "AS (");
		for (uint32_t i = 0; i < t->nattrs; i++) {
			if (i)
				sb_adds(sb, ", ");
			schema_quote(sb, t->attrs[i].name);
			sb_addf(sb, " %s", t->attrs[i].type);
			if (t->attrs[i].collation)
				sb_addf(sb, " COLLATE %s", t->attrs[i].collation);
		}
		sb_addc(sb, ')');
		break;
	default:
		sb_addf(sb, "AS %s", t->base);
		if (t->collation)
			sb_addf(sb, " COLLATE %s", t->collation);
		if (t->dflt)
			sb_addf(sb, " DEFAULT %s", t->dflt);
		if (t->notnull)
			sb_adds(sb, " NOT NULL");
		for (uint32_t i = 0; i < t->ncons; i++) {
			sb_adds(sb, " CONSTRAINT ");
			schema_quote(sb, t->cons[i].name);
			sb_addf(sb, " %s", t->cons[i].def);
		}
		break;
	}
}

struct differ {
	const struct schema *a, *b;
	struct schema_deltas *out;
};

static struct schema_delta *delta(struct differ *df, enum schema_delta_kind kind,
                                  enum schema_obj obj, const char *table,
                                  const char *name)
{
	struct schema_deltas *d = df->out;
	struct schema_delta *x = grow(&d->v, &d->n, &d->cap, sizeof *x);
	x->kind = kind;
	x->obj = obj;
	x->table = table;
	x->name = name;
	return x;
}

static const char *dstr(struct differ *df, const char *fmt, ...) RT_PRINTF(2, 3);
static const char *dstr(struct differ *df, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	const char *r = arena_strdup(&df->out->arena, s);
	free(s);
	return r;
}

/* SQL on one line, for a reader: runs of blanks as one space. */
static const char *one_line(struct differ *df, const char *sql)
{
	struct strbuf sb = STRBUF_INIT;
	bool blank = false;
	for (const char *p = sql; *p; p++) {
		if (isspace((unsigned char)*p)) {
			blank = sb.len > 0;
			continue;
		}
		if (blank)
			sb_addc(&sb, ' ');
		blank = false;
		sb_addc(&sb, *p);
	}
	const char *r = arena_strdup(&df->out->arena, sb_str(&sb));
	sb_free(&sb);
	return r;
}

static const char *col_summary(struct differ *df, const struct schema_column *c)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, *c->type ? schema_col_type(c) : "(no type)");
	if (c->collation)
		sb_addf(&sb, " COLLATE %s", c->collation);
	if (c->generated)
		sb_addf(&sb, " GENERATED ALWAYS AS (%s)%s", c->generated,
		        c->stored ? " STORED" : " VIRTUAL");
	if (c->identity)
		sb_addf(&sb, " GENERATED %s AS IDENTITY", c->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
	if (c->dflt)
		sb_addf(&sb, " DEFAULT %s", c->dflt);
	if (c->notnull)
		sb_adds(&sb, " NOT NULL");
	const char *r = one_line(df, sb_str(&sb));
	sb_free(&sb);
	return r;
}

static const char *comment_text(struct differ *df, const char *comment)
{
	if (!comment)
		return "none";
	struct strbuf sb = STRBUF_INIT;
	schema_literal(&sb, comment);
	const char *r = one_line(df, sb_str(&sb));
	sb_free(&sb);
	return r;
}

static const char *grants_text(struct differ *df, const struct schema_grants *g)
{
	struct strbuf sb = STRBUF_INIT;
	schema_grants_text(&sb, g);
	const char *r = arena_strdup(&df->out->arena, sb_str(&sb));
	sb_free(&sb);
	return r;
}

/* A changed comment, and changed grants when both are given. */
static void diff_meta(struct differ *df, enum schema_obj obj, const char *table,
                      const char *name, const char *comment_a, const char *comment_b,
                      const struct schema_grants *ga, const struct schema_grants *gb)
{
	struct schema_delta *x;
	if (!schema_str_eq(comment_a, comment_b)) {
		x = delta(df, SCHEMA_CHANGED, obj, table, name);
		x->what = "comment";
		x->in_a = comment_text(df, comment_a);
		x->in_b = comment_text(df, comment_b);
	}
	if (ga && gb && !schema_grants_eq(ga, gb)) {
		x = delta(df, SCHEMA_CHANGED, obj, table, name);
		x->what = "grants";
		x->in_a = grants_text(df, ga);
		x->in_b = grants_text(df, gb);
	}
}

/* Presence of an object on one side only, or a change of `what`. */
static void diff_one(struct differ *df, enum schema_obj obj, const char *table,
                     const char *name, const char *what, const char *in_a, const char *in_b)
{
	enum schema_delta_kind kind = !in_a ? SCHEMA_ADDED : !in_b ? SCHEMA_REMOVED : SCHEMA_CHANGED;
	if (kind == SCHEMA_CHANGED && strcmp(in_a, in_b) == 0)
		return;
	struct schema_delta *x = delta(df, kind, obj, table, name);
	x->what = kind == SCHEMA_CHANGED ? what : NULL;
	x->in_a = in_a ? one_line(df, in_a) : "absent";
	x->in_b = in_b ? one_line(df, in_b) : "absent";
}

static const char *type_text(struct differ *df, const struct schema_type *t)
{
	struct strbuf sb = STRBUF_INIT;
	schema_type_body(&sb, t);
	/* "AS ENUM (…)" reads "ENUM (…)"; a domain "DOMAIN AS integer …" */
	const char *r = dstr(df, "%s%s", t->kind == SCHEMA_DOMAIN ? "DOMAIN " : "",
	                     sb_str(&sb) + (t->kind == SCHEMA_DOMAIN ? 0 : 3));
	sb_free(&sb);
	return r;
}

static void diff_types(struct differ *df)
{
	const struct schema *a = df->a, *b = df->b;
	for (uint32_t i = 0; i < a->ntypes; i++) {
		const struct schema_type *ta = &a->types[i];
		int32_t j = schema_type_at(b, ta->name);
		const struct schema_type *tb = j < 0 ? NULL : &b->types[j];
		if (!tb) {
			diff_one(df, SCHEMA_TYPE, NULL, ta->name, NULL, type_text(df, ta), NULL);
			continue;
		}
		diff_one(df, SCHEMA_TYPE, NULL, ta->name,
		         ta->kind == SCHEMA_ENUM && tb->kind == SCHEMA_ENUM ? "values" : "definition",
		         type_text(df, ta), type_text(df, tb));
		diff_meta(df, SCHEMA_TYPE, NULL, ta->name, ta->comment, tb->comment, &ta->grants,
		          &tb->grants);
	}
	for (uint32_t j = 0; j < b->ntypes; j++)
		if (schema_type_at(a, b->types[j].name) < 0)
			diff_one(df, SCHEMA_TYPE, NULL, b->types[j].name, NULL, NULL,
			         type_text(df, &b->types[j]));
}

static const char *owner_text(struct differ *df, const struct schema_sequence *q)
{
	return q->owned_table ? dstr(df, "%s.%s", q->owned_table, q->owned_column) : "none";
}

static void diff_sequences(struct differ *df)
{
	const struct schema *a = df->a, *b = df->b;
	for (uint32_t i = 0; i < a->nsequences; i++) {
		const struct schema_sequence *qa = &a->sequences[i];
		int32_t j = schema_sequence_at(b, qa->name);
		if (j < 0) {
			diff_one(df, SCHEMA_SEQUENCE, NULL, qa->name, NULL, qa->def, NULL);
			continue;
		}
		const struct schema_sequence *qb = &b->sequences[j];
		diff_one(df, SCHEMA_SEQUENCE, NULL, qa->name, "definition", qa->def, qb->def);
		diff_one(df, SCHEMA_SEQUENCE, NULL, qa->name, "owned by", owner_text(df, qa),
		         owner_text(df, qb));
		diff_meta(df, SCHEMA_SEQUENCE, NULL, qa->name, qa->comment, qb->comment, &qa->grants,
		          &qb->grants);
	}
	for (uint32_t j = 0; j < b->nsequences; j++)
		if (schema_sequence_at(a, b->sequences[j].name) < 0)
			diff_one(df, SCHEMA_SEQUENCE, NULL, b->sequences[j].name, NULL, NULL,
			         b->sequences[j].def);
}

static void diff_functions(struct differ *df)
{
	const struct schema *a = df->a, *b = df->b;
	for (uint32_t i = 0; i < a->nfunctions; i++) {
		const struct schema_function *fa = &a->functions[i];
		int32_t j = schema_function_at(b, fa->name, fa->args);
		if (j < 0) {
			diff_one(df, SCHEMA_FUNCTION, NULL, fa->sig, NULL, "present", NULL);
			continue;
		}
		const struct schema_function *fb = &b->functions[j];
		diff_one(df, SCHEMA_FUNCTION, NULL, fa->sig, "definition", fa->def, fb->def);
		diff_meta(df, SCHEMA_FUNCTION, NULL, fa->sig, fa->comment, fb->comment, &fa->grants,
		          &fb->grants);
	}
	for (uint32_t j = 0; j < b->nfunctions; j++)
		if (schema_function_at(a, b->functions[j].name, b->functions[j].args) < 0)
			diff_one(df, SCHEMA_FUNCTION, NULL, b->functions[j].sig, NULL, NULL, "present");
}

static const char *ext_text(struct differ *df, const struct schema_extension *e)
{
	return e->schema ? dstr(df, "in schema %s", e->schema) : "present";
}

static void diff_extensions(struct differ *df)
{
	const struct schema *a = df->a, *b = df->b;
	for (uint32_t i = 0; i < a->nextensions; i++) {
		int32_t j = schema_extension_at(b, a->extensions[i].name);
		diff_one(df, SCHEMA_EXTENSION, NULL, a->extensions[i].name, "schema",
		         ext_text(df, &a->extensions[i]), j < 0 ? NULL : ext_text(df, &b->extensions[j]));
	}
	for (uint32_t j = 0; j < b->nextensions; j++)
		if (schema_extension_at(a, b->extensions[j].name) < 0)
			diff_one(df, SCHEMA_EXTENSION, NULL, b->extensions[j].name, NULL, NULL,
			         ext_text(df, &b->extensions[j]));
}

/* Policies of one table (in a as ta, in b as tb; either may be NULL). */
static void diff_policies(struct differ *df, const char *ta, const char *tb)
{
	const struct schema *a = df->a, *b = df->b;
	for (uint32_t i = 0; ta && i < a->npolicies; i++) {
		const struct schema_policy *pa = &a->policies[i];
		if (strcmp(pa->table, ta) != 0)
			continue;
		int32_t j = tb ? schema_policy_at(b, tb, pa->name) : -1;
		diff_one(df, SCHEMA_POLICY, pa->table, pa->name, "definition", pa->def,
		         j < 0 ? NULL : b->policies[j].def);
	}
	for (uint32_t j = 0; tb && j < b->npolicies; j++) {
		const struct schema_policy *pb = &b->policies[j];
		if (strcmp(pb->table, tb) == 0 && (!ta || schema_policy_at(a, ta, pb->name) < 0))
			diff_one(df, SCHEMA_POLICY, pb->table, pb->name, NULL, NULL, pb->def);
	}
}

static const char *rls_text(const struct schema_table *t)
{
	return !t->rls ? "disabled" : t->rls_forced ? "enabled, forced" : "enabled";
}

static const char *partition_text(struct differ *df, const struct schema_table *t)
{
	struct strbuf sb = STRBUF_INIT;
	if (t->parent)
		sb_addf(&sb, "PARTITION OF %s %s", t->parent, t->bound);
	if (t->partition_by)
		sb_addf(&sb, "%sPARTITION BY %s", sb.len ? " " : "", t->partition_by);
	const char *r = dstr(df, "%s", sb.len ? sb_str(&sb) : "none");
	sb_free(&sb);
	return r;
}

static void diff_columns(struct differ *df, const struct schema_table *ta,
                         const struct schema_table *tb)
{
	enum sql_dialect d = df->a->dialect;
	for (uint32_t i = 0; i < ta->ncols; i++) {
		const struct schema_column *ca = &ta->cols[i];
		int32_t j = schema_col_at(d, tb, ca->name);
		if (j < 0) {
			struct schema_delta *x = delta(df, SCHEMA_REMOVED, SCHEMA_COLUMN, ta->name, ca->name);
			x->in_a = col_summary(df, ca);
			x->in_b = "absent";
			continue;
		}
		const struct schema_column *cb = &tb->cols[j];
		unsigned bits = schema_col_diff(ca, cb);
		struct schema_delta *x;
		if (bits & SCHEMA_COL_TYPE) {
			x = delta(df, SCHEMA_CHANGED, SCHEMA_COLUMN, ta->name, ca->name);
			x->what = "type";
			x->in_a = *ca->type ? schema_col_type(ca) : "(none)";
			x->in_b = *cb->type ? schema_col_type(cb) : "(none)";
		}
		if (bits & SCHEMA_COL_NULL) {
			x = delta(df, SCHEMA_CHANGED, SCHEMA_COLUMN, ta->name, ca->name);
			x->what = "nullability";
			x->in_a = ca->notnull ? "NOT NULL" : "NULL";
			x->in_b = cb->notnull ? "NOT NULL" : "NULL";
		}
		if (bits & SCHEMA_COL_DEFAULT) {
			x = delta(df, SCHEMA_CHANGED, SCHEMA_COLUMN, ta->name, ca->name);
			x->what = "default";
			x->in_a = ca->dflt ? one_line(df, ca->dflt) : "none";
			x->in_b = cb->dflt ? one_line(df, cb->dflt) : "none";
		}
		if (bits & SCHEMA_COL_COLLATION) {
			x = delta(df, SCHEMA_CHANGED, SCHEMA_COLUMN, ta->name, ca->name);
			x->what = "collation";
			x->in_a = ca->collation ? ca->collation : "default";
			x->in_b = cb->collation ? cb->collation : "default";
		}
		if (bits & SCHEMA_COL_GENERATED) {
			x = delta(df, SCHEMA_CHANGED, SCHEMA_COLUMN, ta->name, ca->name);
			x->what = "generated";
			x->in_a = ca->generated ? dstr(df, "AS (%s)%s", ca->generated,
			                               ca->stored ? " STORED" : " VIRTUAL") : "none";
			x->in_b = cb->generated ? dstr(df, "AS (%s)%s", cb->generated,
			                               cb->stored ? " STORED" : " VIRTUAL") : "none";
		}
		if (bits & SCHEMA_COL_IDENTITY) {
			x = delta(df, SCHEMA_CHANGED, SCHEMA_COLUMN, ta->name, ca->name);
			x->what = "identity";
			x->in_a = ca->identity ? (ca->identity == 'a' ? "ALWAYS" : "BY DEFAULT") : "none";
			x->in_b = cb->identity ? (cb->identity == 'a' ? "ALWAYS" : "BY DEFAULT") : "none";
		}
		diff_meta(df, SCHEMA_COLUMN, ta->name, ca->name, ca->comment, cb->comment, NULL, NULL);
	}
	for (uint32_t j = 0; j < tb->ncols; j++) {
		if (schema_col_at(d, ta, tb->cols[j].name) >= 0)
			continue;
		struct schema_delta *x = delta(df, SCHEMA_ADDED, SCHEMA_COLUMN, tb->name,
		                               tb->cols[j].name);
		x->in_a = "absent";
		x->in_b = col_summary(df, &tb->cols[j]);
	}
}

static void diff_constraints(struct differ *df, const struct schema_table *ta,
                             const struct schema_table *tb)
{
	enum sql_dialect d = df->a->dialect;
	int32_t *a_to_b = xcalloc(ta->ncons + 1, sizeof *a_to_b);
	int32_t *b_to_a = xcalloc(tb->ncons + 1, sizeof *b_to_a);
	schema_match_cons(d, ta, tb, a_to_b, b_to_a);
	for (uint32_t i = 0; i < ta->ncons; i++) {
		const struct schema_constraint *ca = &ta->cons[i];
		struct schema_delta *x;
		if (a_to_b[i] < 0) {
			x = delta(df, SCHEMA_REMOVED, SCHEMA_CONSTRAINT, ta->name, ca->name);
			x->con_kind = ca->kind;
			x->in_a = one_line(df, ca->def);
			x->in_b = "absent";
			continue;
		}
		const struct schema_constraint *cb = &tb->cons[a_to_b[i]];
		if (strcmp(ca->def, cb->def) != 0) {
			x = delta(df, SCHEMA_CHANGED, SCHEMA_CONSTRAINT, ta->name,
			          ca->name ? ca->name : cb->name);
			x->con_kind = ca->kind;
			x->what = "definition";
			x->in_a = one_line(df, ca->def);
			x->in_b = one_line(df, cb->def);
		}
		if (!name_same(d, ca->name, cb->name)) {
			x = delta(df, SCHEMA_CHANGED, SCHEMA_CONSTRAINT, ta->name,
			          ca->name ? ca->name : cb->name);
			x->con_kind = ca->kind;
			x->what = "name";
			x->in_a = ca->name ? ca->name : "(unnamed)";
			x->in_b = cb->name ? cb->name : "(unnamed)";
		}
	}
	for (uint32_t j = 0; j < tb->ncons; j++) {
		if (b_to_a[j] >= 0)
			continue;
		const struct schema_constraint *cb = &tb->cons[j];
		struct schema_delta *x = delta(df, SCHEMA_ADDED, SCHEMA_CONSTRAINT, tb->name, cb->name);
		x->con_kind = cb->kind;
		x->in_a = "absent";
		x->in_b = one_line(df, cb->def);
	}
	free(a_to_b);
	free(b_to_a);
}

/* Indexes of one table (table_a in a, table_b in b; either may be NULL). */
static void diff_indexes(struct differ *df, const char *table_a, const char *table_b)
{
	enum sql_dialect d = df->a->dialect;
	for (uint32_t i = 0; table_a && i < df->a->nindexes; i++) {
		const struct schema_index *xa = &df->a->indexes[i];
		if (!schema_name_eq(d, xa->table, table_a))
			continue;
		int32_t j = schema_index_at(df->b, xa->name);
		const struct schema_index *xb = j < 0 ? NULL : &df->b->indexes[j];
		if (xb && !schema_name_eq(d, xb->table, table_a))
			xb = NULL;  /* on another table: reported there as new */
		struct schema_delta *x;
		if (!xb) {
			x = delta(df, SCHEMA_REMOVED, SCHEMA_INDEX, xa->table, xa->name);
			x->in_a = one_line(df, xa->sql);
			x->in_b = "absent";
		} else if (!schema_index_same(d, xa, xb)) {
			x = delta(df, SCHEMA_CHANGED, SCHEMA_INDEX, xa->table, xa->name);
			x->what = "definition";
			x->in_a = one_line(df, xa->sql);
			x->in_b = one_line(df, xb->sql);
		}
	}
	for (uint32_t j = 0; table_b && j < df->b->nindexes; j++) {
		const struct schema_index *xb = &df->b->indexes[j];
		if (!schema_name_eq(d, xb->table, table_b))
			continue;
		int32_t i = schema_index_at(df->a, xb->name);
		if (i >= 0 && schema_name_eq(d, df->a->indexes[i].table, table_b))
			continue;
		struct schema_delta *x = delta(df, SCHEMA_ADDED, SCHEMA_INDEX, xb->table, xb->name);
		x->in_a = "absent";
		x->in_b = one_line(df, xb->sql);
	}
}

struct tname {
	const char *name;
	int32_t ia, ib;
};

static int by_tname(const void *x, const void *y)
{
	return strcmp(((const struct tname *)x)->name, ((const struct tname *)y)->name);
}

void schema_diff(const struct schema *a, const struct schema *b,
                 struct schema_deltas *d)
{
	memset(d, 0, sizeof *d);
	arena_init(&d->arena);
	struct differ df = {a, b, d};
	enum sql_dialect dl = a->dialect;
	diff_extensions(&df);
	diff_types(&df);
	diff_sequences(&df);
	diff_functions(&df);
	/* the tables of both sides, paired, in name order */
	struct tname *names = xcalloc((size_t)a->ntables + b->ntables + 1, sizeof *names);
	uint32_t n = 0;
	for (uint32_t i = 0; i < a->ntables; i++)
		names[n++] = (struct tname){a->tables[i].name, (int32_t)i,
		                            schema_table_at(b, a->tables[i].name)};
	for (uint32_t j = 0; j < b->ntables; j++)
		if (schema_table_at(a, b->tables[j].name) < 0)
			names[n++] = (struct tname){b->tables[j].name, -1, (int32_t)j};
	if (n)
		qsort(names, n, sizeof *names, by_tname);
	for (uint32_t k = 0; k < n; k++) {
		const struct schema_table *ta = names[k].ia < 0 ? NULL : &a->tables[names[k].ia];
		const struct schema_table *tb = names[k].ib < 0 ? NULL : &b->tables[names[k].ib];
		struct schema_delta *x;
		if (!tb || !ta) {
			x = delta(&df, tb ? SCHEMA_ADDED : SCHEMA_REMOVED, SCHEMA_TABLE,
			          names[k].name, names[k].name);
			x->in_a = ta ? "present" : "absent";
			x->in_b = tb ? "present" : "absent";
			continue;
		}
		if (!schema_str_eq(ta->options, tb->options)) {
			x = delta(&df, SCHEMA_CHANGED, SCHEMA_TABLE, ta->name, ta->name);
			x->what = "options";
			x->in_a = ta->options ? ta->options : "none";
			x->in_b = tb->options ? tb->options : "none";
		}
		diff_one(&df, SCHEMA_TABLE, ta->name, ta->name, "partition", partition_text(&df, ta),
		         partition_text(&df, tb));
		diff_one(&df, SCHEMA_TABLE, ta->name, ta->name, "row security", rls_text(ta),
		         rls_text(tb));
		diff_meta(&df, SCHEMA_TABLE, ta->name, ta->name, ta->comment, tb->comment, &ta->grants,
		          &tb->grants);
		diff_columns(&df, ta, tb);
		diff_constraints(&df, ta, tb);
		diff_indexes(&df, ta->name, tb->name);
		diff_policies(&df, ta->name, tb->name);
	}
	free(names);
	/* indexes on tables only one side has are covered by the table */
	for (uint32_t k = 0; k < a->nviews; k++) {
		const struct schema_view *va = &a->views[k];
		int32_t m = schema_view_at(b, va->name);
		const struct schema_view *vb = m < 0 ? NULL : &b->views[m];
		enum schema_obj obj = va->materialized ? SCHEMA_MATVIEW : SCHEMA_VIEW;
		struct schema_delta *x;
		if (!vb) {
			x = delta(&df, SCHEMA_REMOVED, obj, NULL, va->name);
			x->in_a = "present";
			x->in_b = "absent";
			continue;
		}
		if (va->materialized != vb->materialized) {
			x = delta(&df, SCHEMA_CHANGED, obj, NULL, va->name);
			x->what = "kind";
			x->in_a = va->materialized ? "materialized" : "a view";
			x->in_b = vb->materialized ? "materialized" : "a view";
		} else if (strcmp(va->def, vb->def) != 0) {
			x = delta(&df, SCHEMA_CHANGED, obj, NULL, va->name);
			x->what = "definition";
			x->in_a = one_line(&df, va->def);
			x->in_b = one_line(&df, vb->def);
		}
		diff_meta(&df, obj, NULL, va->name, va->comment, vb->comment, &va->grants, &vb->grants);
		if (va->materialized && vb->materialized)
			diff_indexes(&df, va->name, vb->name);
	}
	for (uint32_t k = 0; k < b->nviews; k++) {
		if (schema_view_at(a, b->views[k].name) >= 0)
			continue;
		struct schema_delta *x = delta(&df, SCHEMA_ADDED,
		                               b->views[k].materialized ? SCHEMA_MATVIEW : SCHEMA_VIEW,
		                               NULL, b->views[k].name);
		x->in_a = "absent";
		x->in_b = "present";
	}
	for (uint32_t k = 0; k < a->ntriggers; k++) {
		const struct schema_trigger *ta = &a->triggers[k];
		int32_t m = schema_trigger_at(b, ta->table, ta->name);
		struct schema_delta *x;
		if (m < 0) {
			x = delta(&df, SCHEMA_REMOVED, SCHEMA_TRIGGER, ta->table, ta->name);
			x->in_a = one_line(&df, ta->def);
			x->in_b = "absent";
		} else if (strcmp(ta->def, b->triggers[m].def) != 0 ||
		           !schema_name_eq(dl, ta->table, b->triggers[m].table)) {
			x = delta(&df, SCHEMA_CHANGED, SCHEMA_TRIGGER, ta->table, ta->name);
			x->what = "definition";
			x->in_a = one_line(&df, ta->def);
			x->in_b = one_line(&df, b->triggers[m].def);
		}
	}
	for (uint32_t k = 0; k < b->ntriggers; k++) {
		const struct schema_trigger *tb = &b->triggers[k];
		if (schema_trigger_at(a, tb->table, tb->name) >= 0)
			continue;
		struct schema_delta *x = delta(&df, SCHEMA_ADDED, SCHEMA_TRIGGER, tb->table, tb->name);
		x->in_a = "absent";
		x->in_b = one_line(&df, tb->def);
	}
}

static const char *const con_kind_text[] = {
#define SCHEMA_X(name, text) text,
	SCHEMA_CON_KINDS(SCHEMA_X)
#undef SCHEMA_X
};

static const char *const obj_text[] = {
#define SCHEMA_X(name, text) text,
	SCHEMA_OBJS(SCHEMA_X)
#undef SCHEMA_X
};

void schema_delta_line(const struct schema_delta *x, const char *a_label,
                       const char *b_label, struct strbuf *out)
{
	sb_adds(out, "drift: ");
	schema_delta_text(x, a_label, b_label, out);
}

void schema_delta_text(const struct schema_delta *x, const char *a_label,
                       const char *b_label, struct strbuf *out)
{
	switch (x->obj) {
	case SCHEMA_MATVIEW:
	case SCHEMA_TYPE:
	case SCHEMA_SEQUENCE:
	case SCHEMA_FUNCTION:
	case SCHEMA_EXTENSION:
		sb_addf(out, "%s %s", obj_text[x->obj], x->name);
		break;
	case SCHEMA_POLICY:
		sb_addf(out, "policy %s.%s", x->table, x->name);
		break;
	case SCHEMA_TABLE:
		sb_addf(out, "table %s", x->name);
		break;
	case SCHEMA_COLUMN:
		sb_addf(out, "column %s.%s", x->table, x->name);
		break;
	case SCHEMA_CONSTRAINT:
		if (x->name)
			sb_addf(out, "%s %s.%s", con_kind_text[x->con_kind], x->table, x->name);
		else
			sb_addf(out, "%s on %s", con_kind_text[x->con_kind], x->table);
		break;
	case SCHEMA_INDEX:
		sb_addf(out, "index %s.%s", x->table, x->name);
		break;
	case SCHEMA_VIEW:
		sb_addf(out, "view %s", x->name);
		break;
	case SCHEMA_TRIGGER:
		sb_addf(out, "trigger %s.%s", x->table, x->name);
		break;
	}
	sb_adds(out, ": ");
	if (x->kind == SCHEMA_CHANGED)
		sb_addf(out, "%s ", x->what);
	sb_addf(out, "%s %s, %s %s", x->in_a, a_label, x->in_b, b_label);
}
