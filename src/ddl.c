/* ddl.c: see ddl.h. The reading follows SQLite's grammar for a column
 * definition and a table constraint; in a script (DDL_SCRIPT) a clause it
 * does not know is passed over a token at a time, so that PostgreSQL's
 * (USING INDEX TABLESPACE, WITH (…), …) leave the rest of the definition
 * readable. */
#include "ddl.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static const struct sqltok *tk(const struct ddl_table *t, uint32_t i)
{
	return sqltok_at(t->v, t->n, i);
}

static bool kw(const struct ddl_table *t, uint32_t i, const char *w)
{
	return sqltok_word(tk(t, i), w);
}

static bool punct(const struct ddl_table *t, uint32_t i, char c)
{
	return sqltok_punct(tk(t, i), c);
}

/* A name where one is expected (SQLite takes a string there too). */
static bool is_name(const struct ddl_table *t, uint32_t i)
{
	return sqltok_name(tk(t, i)) || tk(t, i)->type == SQL_TOK_STRING;
}

/* Notes the first thing not understood; true when the reading stops. */
static bool problem(struct ddl_table *t, uint32_t at, const char *what)
{
	if (!t->what) {
		t->what = what;
		t->bad = at < t->n ? at : t->n;
	}
	return t->mode == DDL_SQLITE;
}

static bool stopped(const struct ddl_table *t)
{
	return t->mode == DDL_SQLITE && t->what;
}

/* Past the parenthesis that closes the one at i (the end of the text,
 * with a problem, when none does). */
static uint32_t group_end(struct ddl_table *t, uint32_t i)
{
	uint32_t j = i + 1;
	while (j < t->n && t->v[j].depth > t->v[i].depth)
		j++;
	if (j < t->n)
		return j + 1;
	problem(t, t->n, "unbalanced parentheses");
	return t->n;
}

/* The word that starts a clause of a column definition (and so ends its
 * type or its DEFAULT expression). In a script, SET DEFAULT and SET NULL
 * passed over are a foreign key's actions. */
static bool clause_start(const struct ddl_table *t, uint32_t i)
{
	static const char *const w[] = {"constraint", "primary", "not", "unique", "check",
		"references", "collate", "generated", "as"};
	if (kw(t, i, "default") || kw(t, i, "null"))
		return t->mode == DDL_SQLITE || !kw(t, i - 1, "set");
	for (size_t k = 0; k < RT_ARRAY_LEN(w); k++)
		if (kw(t, i, w[k]))
			return true;
	return false;
}

/* ON CONFLICT x (SQLite): read, and noted. */
static uint32_t conflict(struct ddl_table *t, uint32_t i)
{
	if (kw(t, i, "on") && kw(t, i + 1, "conflict")) {
		t->on_conflict = true;
		return i + 3;
	}
	return i;
}

static struct ddl_con *add_con(struct ddl_table *t, enum schema_con_kind kind,
                               uint32_t *pending)
{
	if (t->ncons == t->cons_cap) {
		t->cons_cap = t->cons_cap ? 2 * t->cons_cap : 16;
		t->cons = xrealloc(t->cons, t->cons_cap * sizeof(*t->cons));
	}
	struct ddl_con *k = &t->cons[t->ncons++];
	*k = (struct ddl_con){kind, *pending, t->nnames, 0, DDL_NONE, DDL_NONE, DDL_NONE,
	                      DDL_NONE, false};
	*pending = DDL_NONE;
	return k;
}

static void con_add_col(struct ddl_table *t, struct ddl_con *k, uint32_t name)
{
	if (t->nnames == t->names_cap) {
		t->names_cap = t->names_cap ? 2 * t->names_cap : 16;
		t->names = xrealloc(t->names, t->names_cap * sizeof(*t->names));
	}
	t->names[t->nnames++] = name;
	k->ncols++;
}

/* "( name [COLLATE x] [ASC|DESC], … )" at i: the names. */
static uint32_t column_list(struct ddl_table *t, struct ddl_con *k, uint32_t i)
{
	if (!punct(t, i, '(')) {
		problem(t, i, "expected '('");
		return i;
	}
	i++;
	for (;;) {
		if (!is_name(t, i)) {
			problem(t, i, "expected a column name");
			return i;
		}
		con_add_col(t, k, i++);
		while (i < t->n && !punct(t, i, ',') && !punct(t, i, ')')) {
			if (punct(t, i, '(')) {
				problem(t, i, "an expression in a key is not supported");
				return i;
			}
			i++;
		}
		if (i >= t->n) {
			problem(t, i, "unterminated column list");
			return i;
		}
		if (punct(t, i++, ')'))
			return i;
	}
}

/* CHECK ( expr ) at i. */
static uint32_t check_con(struct ddl_table *t, uint32_t i, uint32_t *pending)
{
	if (!punct(t, i + 1, '(')) {
		problem(t, i + 1, "expected '('");
		return i + 1;
	}
	uint32_t e = group_end(t, i + 1);
	struct ddl_con *k = add_con(t, SCHEMA_CHECK, pending);
	k->expr = i + 2;
	k->expr_end = e - 1;
	return e;
}

/* REFERENCES [schema.]table [( cols )] and its actions, at i. */
static uint32_t fk_clause(struct ddl_table *t, struct ddl_con *k, uint32_t i)
{
	i++;
	if (!is_name(t, i)) {
		problem(t, i, "expected a name");
		return i;
	}
	k->ref = i;
	if (punct(t, i + 1, '.') && is_name(t, i + 2))
		i += 2;
	k->ref_end = ++i;
	if (punct(t, i, '('))
		i = group_end(t, i);
	for (;;) {
		if (kw(t, i, "on") && (kw(t, i + 1, "delete") || kw(t, i + 1, "update"))) {
			i += 2;
			i += kw(t, i, "set") || kw(t, i, "no") ? 2 : 1;
		} else if (kw(t, i, "match")) {
			i += 2;
		} else if (kw(t, i, "not") && kw(t, i + 1, "deferrable")) {
			i += 2;
			if (kw(t, i, "initially"))
				i += 2;
		} else if (kw(t, i, "deferrable")) {
			i++;
			/* only INITIALLY DEFERRED defers a SQLite constraint */
			if (kw(t, i, "initially") && kw(t, i + 1, "deferred"))
				k->deferred = true;
			if (kw(t, i, "initially"))
				i += 2;
		} else {
			return i;
		}
	}
}

/* GENERATED ALWAYS AS ( expr ) [STORED | VIRTUAL], AS ( expr ) …, or in a
 * script GENERATED … AS IDENTITY, at i. */
static uint32_t generated(struct ddl_table *t, struct ddl_column *c, uint32_t i,
                          uint32_t b)
{
	bool strict = t->mode == DDL_SQLITE;
	uint32_t j = i;
	if (strict && kw(t, i, "generated"))
		j = i + 2;   /* GENERATED ALWAYS */
	else
		while (j < b && !kw(t, j, "as"))
			j++;
	if (strict && !kw(t, j, "as")) {
		problem(t, j, "expected AS");
		return j;
	}
	if (!strict && kw(t, j + 1, "identity")) {
		c->identity = true;
		return j + 1;
	}
	c->generated = true;
	uint32_t k = j + 1;
	if (punct(t, k, '(')) {
		uint32_t e = group_end(t, k);
		c->gen = k + 1;
		c->gen_end = e - 1;
		k = e;
	} else if (problem(t, k, "expected '('")) {
		return k;
	}
	c->stored = kw(t, k, "stored");
	if (!strict)
		return j + 1;   /* what follows AS is passed over */
	return kw(t, k, "stored") || kw(t, k, "virtual") ? k + 1 : k;
}

/* The column definition in tokens [a, b); returns where it stopped. */
static uint32_t column(struct ddl_table *t, uint32_t a, uint32_t b)
{
	if (t->ncols == t->cols_cap) {
		t->cols_cap = t->cols_cap ? 2 * t->cols_cap : 16;
		t->cols = xrealloc(t->cols, t->cols_cap * sizeof(*t->cols));
	}
	struct ddl_column *c = &t->cols[t->ncols++];
	memset(c, 0, sizeof(*c));
	c->at = a;
	c->dflt = c->collate = c->gen = DDL_NONE;
	c->cons = t->ncons;
	uint32_t depth = tk(t, a)->depth, i = a;
	/* a script's name as lint reads names; SQLite's is one token */
	while (t->mode == DDL_SCRIPT && punct(t, i + 1, '.') && sqltok_name(tk(t, i + 2)))
		i += 2;
	uint32_t name = i++;
	c->name_end = c->type = i;
	/* the type: names and a parenthesized size */
	while (i < b && !(tk(t, i)->depth == depth && clause_start(t, i))) {
		if (punct(t, i, '(') && tk(t, i)->depth == depth)
			i = group_end(t, i);
		else
			i++;
		if (stopped(t))
			return i;
	}
	c->type_end = i;
	uint32_t pending = DDL_NONE;
	while (i < b && !stopped(t)) {
		if (tk(t, i)->depth != depth) {
			i++;
		} else if (kw(t, i, "constraint")) {
			if (!is_name(t, i + 1)) {
				problem(t, i + 1, "expected a constraint name");
				i++;
				continue;
			}
			pending = i + 1;
			i += 2;
		} else if (kw(t, i, "primary") && kw(t, i + 1, "key")) {
			i += 2;
			if (kw(t, i, "asc") || kw(t, i, "desc"))
				i++;
			i = conflict(t, i);
			if (kw(t, i, "autoincrement")) {
				c->autoincrement = true;
				i++;
			}
			con_add_col(t, add_con(t, SCHEMA_PRIMARY, &pending), name);
		} else if (kw(t, i, "not") && kw(t, i + 1, "null")) {
			c->not_null = true;
			i = conflict(t, i + 2);
		} else if (kw(t, i, "null") && clause_start(t, i)) {
			i = conflict(t, i + 1);
		} else if (kw(t, i, "unique")) {
			i = conflict(t, i + 1);
			con_add_col(t, add_con(t, SCHEMA_UNIQUE, &pending), name);
		} else if (kw(t, i, "check")) {
			i = check_con(t, i, &pending);
		} else if (kw(t, i, "default") && clause_start(t, i)) {
			uint32_t e = i + 2;   /* the expression is one token at least */
			while (e < b && !(tk(t, e)->depth == depth && clause_start(t, e)))
				e++;
			/* SQLite's is one term: ( expr ), a signed number, a literal */
			uint32_t term = punct(t, i + 1, '(') ? group_end(t, i + 1)
			              : punct(t, i + 1, '-') || punct(t, i + 1, '+') ? i + 3 : i + 2;
			if (term < e && problem(t, term, "unexpected text in a column definition"))
				return term;
			c->dflt = i + 1;
			c->dflt_end = e;
			i = t->mode == DDL_SQLITE && term > e ? term : e;
		} else if (kw(t, i, "collate")) {
			if (!is_name(t, i + 1)) {
				problem(t, i + 1, "expected a collation name");
				i++;
				continue;
			}
			c->collate = i + 1;
			i += 2;
		} else if (kw(t, i, "references")) {
			struct ddl_con *k = add_con(t, SCHEMA_FOREIGN, &pending);
			con_add_col(t, k, name);
			i = fk_clause(t, k, i);
		} else if (kw(t, i, "generated") ||
		           (kw(t, i, "as") && (t->mode == DDL_SQLITE || punct(t, i + 1, '(')))) {
			i = generated(t, c, i, b);
		} else {
			problem(t, i, "unexpected text in a column definition");
			i++;
		}
	}
	c = &t->cols[t->ncols - 1];
	c->ncons = t->ncons - c->cons;
	c->end = b;
	return i;
}

/* A table constraint at a; returns where it stopped. */
static uint32_t table_con(struct ddl_table *t, uint32_t a)
{
	uint32_t i = a, pending = DDL_NONE;
	if (kw(t, i, "constraint")) {
		if (!is_name(t, i + 1)) {
			problem(t, i + 1, "expected a constraint name");
			return i + 1;
		}
		pending = i + 1;
		i += 2;
	}
	if (kw(t, i, "primary") && kw(t, i + 1, "key")) {
		i = column_list(t, add_con(t, SCHEMA_PRIMARY, &pending), i + 2);
		if (!stopped(t))
			i = conflict(t, i);
	} else if (kw(t, i, "unique")) {
		i = column_list(t, add_con(t, SCHEMA_UNIQUE, &pending), i + 1);
		if (!stopped(t))
			i = conflict(t, i);
	} else if (kw(t, i, "check")) {
		i = check_con(t, i, &pending);
	} else if (kw(t, i, "foreign") && kw(t, i + 1, "key")) {
		struct ddl_con *k = add_con(t, SCHEMA_FOREIGN, &pending);
		i = column_list(t, k, i + 2);
		if (stopped(t))
			return i;
		if (!kw(t, i, "references"))
			problem(t, i, "expected REFERENCES");
		else
			i = fk_clause(t, k, i);
	} else if (t->mode == DDL_SCRIPT && kw(t, i, "exclude")) {
		add_con(t, SCHEMA_EXCLUDE, &pending);
	} else {
		problem(t, i, "unexpected text in a table constraint");
	}
	return i;
}

static void reset(struct ddl_table *t, const struct sqltok *v, uint32_t n, enum ddl_mode mode)
{
	t->v = v;
	t->n = n;
	t->mode = mode;
	t->nelems = t->ncols = t->ncons = t->nnames = 0;
	t->end = 0;
	t->on_conflict = false;
	t->what = NULL;
	t->bad = DDL_NONE;
}

static void add_elem(struct ddl_table *t, enum ddl_elem_kind kind, uint32_t a, uint32_t b,
                     uint32_t index)
{
	if (t->nelems == t->elems_cap) {
		t->elems_cap = t->elems_cap ? 2 * t->elems_cap : 16;
		t->elems = xrealloc(t->elems, t->elems_cap * sizeof(*t->elems));
	}
	t->elems[t->nelems++] = (struct ddl_elem){kind, a, b, index};
}

/* The table element in tokens [a, b); returns where its reading stopped. */
static uint32_t element(struct ddl_table *t, uint32_t a, uint32_t b)
{
	bool script = t->mode == DDL_SCRIPT;
	bool con = kw(t, a, "constraint") || kw(t, a, "primary") || kw(t, a, "unique") ||
	           kw(t, a, "check") || (kw(t, a, "foreign") && (script || kw(t, a + 1, "key"))) ||
	           (script && kw(t, a, "exclude"));
	if (con) {
		uint32_t before = t->ncons;
		uint32_t i = table_con(t, a);
		add_elem(t, DDL_CONSTRAINT, a, b, t->ncons > before ? before : DDL_NONE);
		return i;
	}
	if (script && kw(t, a, "like")) {
		add_elem(t, DDL_LIKE, a, b, DDL_NONE);
		return b;
	}
	if (!is_name(t, a)) {
		problem(t, a, "expected a column or a constraint");
		return a;
	}
	uint32_t i = column(t, a, b);
	add_elem(t, DDL_COLUMN, a, b, t->ncols - 1);
	return i;
}

bool ddl_table_read(struct ddl_table *t, const struct sqltok *v, uint32_t n,
                    uint32_t open, enum ddl_mode mode)
{
	reset(t, v, n, mode);
	uint32_t depth = tk(t, open)->depth + 1, a = open + 1;
	for (;;) {
		if (mode == DDL_SCRIPT && !(a < n && t->v[a].depth >= depth))
			break;
		uint32_t b = a;
		while (b < n && t->v[b].depth >= depth &&
		       !(t->v[b].depth == depth && punct(t, b, ',')))
			b++;
		uint32_t i = element(t, a, b);
		if (stopped(t))
			return false;
		if (mode == DDL_SCRIPT) {
			a = b + 1;
			continue;
		}
		if (i > b) {   /* a clause cut short by the element's end */
			problem(t, i, t->elems[t->nelems - 1].kind == DDL_COLUMN
			              ? "unexpected text in a column definition" : "expected ',' or ')'");
			return false;
		}
		if (i < b || !(punct(t, b, ',') || punct(t, b, ')'))) {
			problem(t, i, "expected ',' or ')'");
			return false;
		}
		a = b + 1;
		if (punct(t, b, ')'))
			break;
	}
	t->end = a;
	return true;
}

bool ddl_column_read(struct ddl_table *t, const struct sqltok *v, uint32_t n,
                     uint32_t a, uint32_t b, enum ddl_mode mode)
{
	reset(t, v, n, mode);
	if (!is_name(t, a))
		return false;
	t->end = column(t, a, b);
	add_elem(t, DDL_COLUMN, a, b, 0);
	return !stopped(t);
}

void ddl_table_free(struct ddl_table *t)
{
	free(t->elems);
	free(t->cols);
	free(t->cons);
	free(t->names);
	memset(t, 0, sizeof(*t));
}

bool ddl_column_has(const struct ddl_table *t, const struct ddl_column *c,
                    enum schema_con_kind kind)
{
	for (uint32_t k = c->cons; k < c->cons + c->ncons; k++)
		if (t->cons[k].kind == kind)
			return true;
	return false;
}
