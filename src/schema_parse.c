/* schema_parse.c: SQLite's CREATE TABLE, read (ddl.h) for what SQLite's
 * pragmas do not say: checks, constraint names, collations, generated
 * columns, AUTOINCREMENT, deferrable keys and table options, and where
 * the names are that a table rebuild must replace. */
#include "ddl.h"
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

/* The columns and constraints read into the definition's strings. */
static void from_ddl(const struct cur *c, const struct ddl_table *d,
                     struct sqlite_tabledef *t)
{
	t->ncols = d->ncols;
	t->cols = d->ncols ? xcalloc(d->ncols, sizeof(*t->cols)) : NULL;
	for (uint32_t i = 0; i < d->ncols; i++) {
		const struct ddl_column *dc = &d->cols[i];
		struct sqlite_coldef *col = &t->cols[i];
		col->off = off_of(c, dc->at);
		col->len = off_of(c, dc->end - 1) + c->t[dc->end - 1].len - col->off;
		col->name = name_at(c, dc->name_end - 1);
		if (dc->collate != DDL_NONE)
			col->collation = norm_span(c, dc->collate, dc->collate + 1);
		if (dc->generated && dc->gen != DDL_NONE)
			col->generated = norm_span(c, dc->gen, dc->gen_end);
		col->stored = dc->stored;
		col->autoincrement = dc->autoincrement;
	}
	t->ncons = d->ncons;
	t->cons = d->ncons ? xcalloc(d->ncons, sizeof(*t->cons)) : NULL;
	for (uint32_t i = 0; i < d->ncons; i++) {
		const struct ddl_con *dk = &d->cons[i];
		struct sqlite_condef *k = &t->cons[i];
		k->kind = dk->kind;
		if (dk->name != DDL_NONE)
			k->name = name_at(c, dk->name);
		k->ncols = dk->ncols;
		k->cols = dk->ncols ? xcalloc(dk->ncols, sizeof(*k->cols)) : NULL;
		for (uint32_t j = 0; j < dk->ncols; j++)
			k->cols[j] = name_at(c, d->names[dk->cols + j]);
		if (dk->kind == SCHEMA_CHECK)
			k->check = norm_span(c, dk->expr, dk->expr_end);
		if (dk->kind != SCHEMA_FOREIGN)
			continue;
		k->ref_table = name_at(c, dk->ref_end - 1);
		if (dk->deferred)
			k->deferrable = xstrdup(" DEFERRABLE INITIALLY DEFERRED");
		t->ref_off = xrealloc(t->ref_off, (t->nrefs + 1) * sizeof *t->ref_off);
		t->ref_len = xrealloc(t->ref_len, (t->nrefs + 1) * sizeof *t->ref_len);
		t->ref_off[t->nrefs] = off_of(c, dk->ref);
		t->ref_len[t->nrefs++] = off_of(c, dk->ref_end - 1) + c->t[dk->ref_end - 1].len -
		                         off_of(c, dk->ref);
	}
	t->on_conflict = d->on_conflict;
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
	struct ddl_table d = {0};
	if (!ddl_table_read(&d, c.t, c.n, c.i, DDL_SQLITE)) {
		c.i = d.bad;
		rc = fail(&c, d.what);
		ddl_table_free(&d);
		goto out;
	}
	from_ddl(&c, &d, out);
	c.i = d.end;
	ddl_table_free(&d);
	if (c.i < c.n && c.t[c.i].type != SQL_TOK_SEMI) {
		uint32_t end = c.n;
		if (c.t[end - 1].type == SQL_TOK_SEMI)
			end--;
		out->options = norm_span(&c, c.i, end);
	}
out:
	sqltoks_free(&c.ts);
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

