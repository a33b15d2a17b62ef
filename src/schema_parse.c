/* schema_parse.c: SQLite's CREATE TABLE, read with the SQL lexer for what
 * SQLite's pragmas do not say: checks, constraint names, collations,
 * generated columns, AUTOINCREMENT, deferrable keys and table options,
 * and where the names are that a table rebuild must replace. */
#include "schema_impl.h"
#include "sqltoks.h"

#include <stdlib.h>
#include <string.h>

/* ---- SQLite's CREATE TABLE ---- */

struct cur {
	const char *sql;
	struct sqltoks ts;         /* comments left out */
	const struct sqltok *t;    /* ts's */
	uint32_t n, i;
	char **err;
	bool conflict;             /* an ON CONFLICT clause was read */
};

static int cur_init(struct cur *c, const char *sql, char **err)
{
	memset(c, 0, sizeof *c);
	c->sql = sql;
	c->err = err;
	if (!sqltoks_read(&c->ts, sql, strlen(sql), SQL_SQLITE, 1)) {
		sqltoks_free(&c->ts);
		return rt_err(err, RT_EFAIL, "unterminated quote or comment");
	}
	c->t = c->ts.v;
	c->n = c->ts.n;
	return RT_OK;
}

/* Where token i starts in c->sql. */
static size_t off_of(const struct cur *c, uint32_t i)
{
	return (size_t)(c->t[i].s - c->sql);
}

static bool kw(const struct cur *c, uint32_t i, const char *word)
{
	return sqltok_word(sqltok_at(c->t, c->n, i), word);
}

static bool punct(const struct cur *c, uint32_t i, char ch)
{
	return sqltok_punct(sqltok_at(c->t, c->n, i), ch);
}

static int fail(struct cur *c, const char *what)
{
	if (c->i < c->n)
		return rt_err(c->err, RT_EFAIL, "%s near '%.*s'", what, (int)c->t[c->i].len,
		              c->t[c->i].s);
	return rt_err(c->err, RT_EFAIL, "%s at the end", what);
}

/* Past the parenthesis that closes the one at c->i. */
static int skip_parens(struct cur *c)
{
	int depth = 0;
	do {
		if (c->i >= c->n)
			return fail(c, "unbalanced parentheses");
		if (punct(c, c->i, '('))
			depth++;
		else if (punct(c, c->i, ')'))
			depth--;
		c->i++;
	} while (depth > 0);
	return RT_OK;
}

static bool is_name(const struct cur *c, uint32_t i)
{
	/* SQLite takes a string where a name is expected */
	return i < c->n && (sqltok_name(&c->t[i]) || c->t[i].type == SQL_TOK_STRING);
}

/* A name token, unquoted. */
static char *name_at(const struct cur *c, uint32_t i)
{
	const char *p = c->t[i].s;
	if (c->t[i].type == SQL_TOK_WORD)
		return xstrndup(p, c->t[i].len);
	return schema_unquote(p, c->t[i].len);
}

/* [schema.]name: the name; *off and *len span both parts. */
static int qualified_name(struct cur *c, char **name, size_t *off, size_t *len)
{
	if (!is_name(c, c->i))
		return fail(c, "expected a name");
	uint32_t first = c->i;
	if (punct(c, c->i + 1, '.') && is_name(c, c->i + 2))
		c->i += 2;
	*name = name_at(c, c->i);
	*off = off_of(c, first);
	*len = off_of(c, c->i) + c->t[c->i].len - *off;
	c->i++;
	return RT_OK;
}

/* The normalized text of tokens [from, to). */
static char *norm_span(const struct cur *c, uint32_t from, uint32_t to)
{
	if (from >= to)
		return xstrdup("");
	size_t off = off_of(c, from), end = off_of(c, to - 1) + c->t[to - 1].len;
	return schema_norm_sql(c->sql + off, end - off, SQL_SQLITE);
}

/* "( expr )" at c->i: the normalized expression. */
static int paren_expr(struct cur *c, char **out)
{
	if (!punct(c, c->i, '('))
		return fail(c, "expected '('");
	uint32_t start = c->i;
	int rc = skip_parens(c);
	if (rc == RT_OK)
		*out = norm_span(c, start + 1, c->i - 1);
	return rc;
}

static struct sqlite_condef *add_con(struct sqlite_tabledef *t, enum schema_con_kind kind,
                                     char **pending_name)
{
	t->cons = xrealloc(t->cons, (t->ncons + 1) * sizeof *t->cons);
	struct sqlite_condef *k = &t->cons[t->ncons++];
	memset(k, 0, sizeof *k);
	k->kind = kind;
	k->name = *pending_name;
	*pending_name = NULL;
	return k;
}

static void con_add_col(struct sqlite_condef *k, char *col)
{
	k->cols = xrealloc(k->cols, (k->ncols + 1) * sizeof *k->cols);
	k->cols[k->ncols++] = col;
}

/* CHECK ( expr ) at c->i. */
static int check_con(struct cur *c, struct sqlite_tabledef *t, char **pending_name)
{
	char *e = NULL;
	c->i++;
	int rc = paren_expr(c, &e);
	if (rc == RT_OK)
		add_con(t, SCHEMA_CHECK, pending_name)->check = e;
	return rc;
}

/* ON CONFLICT x: read and not modelled (it changes no stored data, only
 * what an INSERT does); the table says it has one. */
static void skip_conflict(struct cur *c)
{
	if (kw(c, c->i, "on") && kw(c, c->i + 1, "conflict")) {
		c->i += 3;
		c->conflict = true;
	}
}

/* "( name [COLLATE x] [ASC|DESC], … )": the names. */
static int column_list(struct cur *c, struct sqlite_condef *k)
{
	if (!punct(c, c->i, '('))
		return fail(c, "expected '('");
	c->i++;
	for (;;) {
		if (!is_name(c, c->i))
			return fail(c, "expected a column name");
		con_add_col(k, name_at(c, c->i));
		c->i++;
		while (c->i < c->n && !punct(c, c->i, ',') && !punct(c, c->i, ')')) {
			if (punct(c, c->i, '('))
				return fail(c, "an expression in a key is not supported");
			c->i++;
		}
		if (c->i >= c->n)
			return fail(c, "unterminated column list");
		if (punct(c, c->i++, ')'))
			return RT_OK;
	}
}

static int fk_clause(struct cur *c, struct sqlite_tabledef *t, struct sqlite_condef *k)
{
	c->i++;  /* REFERENCES */
	size_t off, len;
	int rc = qualified_name(c, &k->ref_table, &off, &len);
	if (rc != RT_OK)
		return rc;
	t->ref_off = xrealloc(t->ref_off, (t->nrefs + 1) * sizeof *t->ref_off);
	t->ref_len = xrealloc(t->ref_len, (t->nrefs + 1) * sizeof *t->ref_len);
	t->ref_off[t->nrefs] = off;
	t->ref_len[t->nrefs++] = len;
	if (punct(c, c->i, '(') && (rc = skip_parens(c)) != RT_OK)
		return rc;
	for (;;) {
		if (kw(c, c->i, "on") && (kw(c, c->i + 1, "delete") || kw(c, c->i + 1, "update"))) {
			c->i += 2;
			if (kw(c, c->i, "set") || kw(c, c->i, "no"))
				c->i += 2;
			else
				c->i++;
		} else if (kw(c, c->i, "match")) {
			c->i += 2;
		} else if (kw(c, c->i, "not") && kw(c, c->i + 1, "deferrable")) {
			c->i += 2;
			if (kw(c, c->i, "initially"))
				c->i += 2;
		} else if (kw(c, c->i, "deferrable")) {
			c->i++;
			/* only INITIALLY DEFERRED defers a SQLite constraint */
			if (kw(c, c->i, "initially") && kw(c, c->i + 1, "deferred"))
				k->deferrable = xstrdup(" DEFERRABLE INITIALLY DEFERRED");
			if (kw(c, c->i, "initially"))
				c->i += 2;
		} else {
			return RT_OK;
		}
	}
}

static bool constraint_start(const struct cur *c, uint32_t i)
{
	return kw(c, i, "constraint") || kw(c, i, "primary") || kw(c, i, "not") ||
	       kw(c, i, "null") || kw(c, i, "unique") || kw(c, i, "check") ||
	       kw(c, i, "default") || kw(c, i, "collate") || kw(c, i, "references") ||
	       kw(c, i, "generated") || kw(c, i, "as");
}

static int column_def(struct cur *c, struct sqlite_tabledef *t)
{
	t->cols = xrealloc(t->cols, (t->ncols + 1) * sizeof *t->cols);
	uint32_t me = t->ncols++;
	struct sqlite_coldef *col = &t->cols[me];
	memset(col, 0, sizeof *col);
	uint32_t start = c->i;
	col->name = name_at(c, c->i++);
	/* the type: names and a parenthesized size */
	while (c->i < c->n && !punct(c, c->i, ',') && !punct(c, c->i, ')') &&
	       !constraint_start(c, c->i)) {
		if (punct(c, c->i, '(')) {
			int rc = skip_parens(c);
			if (rc != RT_OK)
				return rc;
		} else {
			c->i++;
		}
	}
	char *pending = NULL;
	int rc = RT_OK;
	while (rc == RT_OK && c->i < c->n && !punct(c, c->i, ',') && !punct(c, c->i, ')')) {
		col = &t->cols[me];
		if (kw(c, c->i, "constraint")) {
			c->i++;
			if (!is_name(c, c->i)) {
				rc = fail(c, "expected a constraint name");
				break;
			}
			free(pending);
			pending = name_at(c, c->i++);
		} else if (kw(c, c->i, "primary") && kw(c, c->i + 1, "key")) {
			c->i += 2;
			if (kw(c, c->i, "asc") || kw(c, c->i, "desc"))
				c->i++;
			skip_conflict(c);
			if (kw(c, c->i, "autoincrement")) {
				col->autoincrement = true;
				c->i++;
			}
			con_add_col(add_con(t, SCHEMA_PRIMARY, &pending), xstrdup(col->name));
		} else if (kw(c, c->i, "not") && kw(c, c->i + 1, "null")) {
			c->i += 2;
			skip_conflict(c);
		} else if (kw(c, c->i, "null")) {
			c->i++;
			skip_conflict(c);
		} else if (kw(c, c->i, "unique")) {
			c->i++;
			skip_conflict(c);
			con_add_col(add_con(t, SCHEMA_UNIQUE, &pending), xstrdup(col->name));
		} else if (kw(c, c->i, "check")) {
			rc = check_con(c, t, &pending);
		} else if (kw(c, c->i, "default")) {
			c->i++;
			if (punct(c, c->i, '('))
				rc = skip_parens(c);
			else if (punct(c, c->i, '-') || punct(c, c->i, '+'))
				c->i += 2;
			else
				c->i++;
		} else if (kw(c, c->i, "collate")) {
			c->i++;
			if (!is_name(c, c->i)) {
				rc = fail(c, "expected a collation name");
				break;
			}
			free(col->collation);
			col->collation = norm_span(c, c->i, c->i + 1);
			c->i++;
		} else if (kw(c, c->i, "references")) {
			struct sqlite_condef *k = add_con(t, SCHEMA_FOREIGN, &pending);
			con_add_col(k, xstrdup(t->cols[me].name));
			rc = fk_clause(c, t, k);
		} else if (kw(c, c->i, "generated") || kw(c, c->i, "as")) {
			if (kw(c, c->i, "generated"))
				c->i += 2;  /* GENERATED ALWAYS */
			if (!kw(c, c->i, "as")) {
				rc = fail(c, "expected AS");
				break;
			}
			c->i++;
			free(col->generated);
			rc = paren_expr(c, &col->generated);
			col = &t->cols[me];
			if (kw(c, c->i, "stored")) {
				col->stored = true;
				c->i++;
			} else if (kw(c, c->i, "virtual")) {
				c->i++;
			}
		} else {
			rc = fail(c, "unexpected text in a column definition");
		}
	}
	free(pending);
	if (rc == RT_OK) {
		col = &t->cols[me];
		col->off = off_of(c, start);
		col->len = off_of(c, c->i - 1) + c->t[c->i - 1].len - col->off;
	}
	return rc;
}

static int table_constraint(struct cur *c, struct sqlite_tabledef *t)
{
	char *pending = NULL;
	if (kw(c, c->i, "constraint")) {
		c->i++;
		if (!is_name(c, c->i))
			return fail(c, "expected a constraint name");
		pending = name_at(c, c->i++);
	}
	int rc = RT_OK;
	if (kw(c, c->i, "primary") && kw(c, c->i + 1, "key")) {
		c->i += 2;
		rc = column_list(c, add_con(t, SCHEMA_PRIMARY, &pending));
		skip_conflict(c);
	} else if (kw(c, c->i, "unique")) {
		c->i++;
		rc = column_list(c, add_con(t, SCHEMA_UNIQUE, &pending));
		skip_conflict(c);
	} else if (kw(c, c->i, "check")) {
		rc = check_con(c, t, &pending);
	} else if (kw(c, c->i, "foreign") && kw(c, c->i + 1, "key")) {
		c->i += 2;
		struct sqlite_condef *k = add_con(t, SCHEMA_FOREIGN, &pending);
		rc = column_list(c, k);
		if (rc == RT_OK && !kw(c, c->i, "references"))
			rc = fail(c, "expected REFERENCES");
		if (rc == RT_OK)
			rc = fk_clause(c, t, k);
	} else {
		rc = fail(c, "unexpected text in a table constraint");
	}
	free(pending);
	return rc;
}

int sqlite_parse_table(const char *sql, struct sqlite_tabledef *out, char **err)
{
	struct cur c;
	memset(out, 0, sizeof *out);
	int rc = cur_init(&c, sql, err);
	if (rc != RT_OK)
		return rc;
	if (!kw(&c, 0, "create")) {
		rc = fail(&c, "expected CREATE");
		goto out;
	}
	c.i = 1;
	if (kw(&c, c.i, "temp") || kw(&c, c.i, "temporary"))
		c.i++;
	if (!kw(&c, c.i, "table")) {
		rc = fail(&c, "expected TABLE");
		goto out;
	}
	c.i++;
	if (kw(&c, c.i, "if") && kw(&c, c.i + 1, "not") && kw(&c, c.i + 2, "exists"))
		c.i += 3;
	rc = qualified_name(&c, &out->name, &out->name_off, &out->name_len);
	if (rc != RT_OK)
		goto out;
	if (!punct(&c, c.i, '(')) {
		rc = fail(&c, "expected '('");
		goto out;
	}
	c.i++;
	for (;;) {
		bool con = kw(&c, c.i, "constraint") || kw(&c, c.i, "primary") ||
		           kw(&c, c.i, "unique") || kw(&c, c.i, "check") ||
		           (kw(&c, c.i, "foreign") && kw(&c, c.i + 1, "key"));
		if (con)
			rc = table_constraint(&c, out);
		else if (is_name(&c, c.i))
			rc = column_def(&c, out);
		else
			rc = fail(&c, "expected a column or a constraint");
		if (rc != RT_OK)
			goto out;
		if (punct(&c, c.i, ',')) {
			c.i++;
			continue;
		}
		if (punct(&c, c.i, ')')) {
			c.i++;
			break;
		}
		rc = fail(&c, "expected ',' or ')'");
		goto out;
	}
	if (c.i < c.n && c.t[c.i].type != SQL_TOK_SEMI) {
		uint32_t end = c.n;
		if (c.t[end - 1].type == SQL_TOK_SEMI)
			end--;
		out->options = norm_span(&c, c.i, end);
	}
out:
	sqltoks_free(&c.ts);
	out->on_conflict = c.conflict;
	if (rc != RT_OK)
		sqlite_tabledef_free(out);
	return rc;
}

void sqlite_tabledef_free(struct sqlite_tabledef *t)
{
	for (uint32_t i = 0; i < t->ncols; i++) {
		free(t->cols[i].name);
		free(t->cols[i].collation);
		free(t->cols[i].generated);
	}
	for (uint32_t i = 0; i < t->ncons; i++) {
		struct sqlite_condef *k = &t->cons[i];
		free(k->name);
		for (uint32_t j = 0; j < k->ncols; j++)
			free(k->cols[j]);
		free(k->cols);
		free(k->check);
		free(k->ref_table);
		free(k->deferrable);
	}
	free(t->cols);
	free(t->cons);
	free(t->options);
	free(t->name);
	free(t->ref_off);
	free(t->ref_len);
	memset(t, 0, sizeof *t);
}


/* The normalized text of sql from the token after its object's name
 * (CREATE [UNIQUE|TEMP] INDEX|VIEW|TRIGGER [IF NOT EXISTS] [s.]name …),
 * or from the first ON for an index. */
char *sqlite_def_after_name(const char *sql, bool index, bool *unique)
{
	struct cur c;
	if (cur_init(&c, sql, NULL) != RT_OK)
		return NULL;
	*unique = kw(&c, 1, "unique");
	uint32_t i = 1;
	while (i < c.n && !kw(&c, i, "index") && !kw(&c, i, "view") && !kw(&c, i, "trigger"))
		i++;
	i++;
	if (kw(&c, i, "if") && kw(&c, i + 1, "not") && kw(&c, i + 2, "exists"))
		i += 3;
	if (punct(&c, i + 1, '.'))
		i += 2;
	i++;
	if (index)
		while (i < c.n && !kw(&c, i, "on"))
			i++;
	uint32_t end = c.n;
	if (end > i && c.t[end - 1].type == SQL_TOK_SEMI)
		end--;
	char *r = i < c.n ? norm_span(&c, i, end) : NULL;
	sqltoks_free(&c.ts);
	return r;
}

