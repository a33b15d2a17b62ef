/* schema_read.c: a connected database's schema into the model.
 *
 * PostgreSQL's catalog is read by schema_read_pg.c. SQLite's pragmas say what SQLite itself parsed (types, nullability,
 * defaults, keys, unique indexes, foreign keys); the rest (checks,
 * constraint names, collations, generated columns, AUTOINCREMENT, table
 * options) exists only in the CREATE TABLE text, which is parsed here
 * with the SQL lexer. A definition that does not parse is an error: a
 * model that silently misses a constraint would generate wrong SQL. */
#include "schema_impl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db_impl.h"

/* ---- SQLite ---- */

/* A name as SQLite compares it, for a definition: lower case, quoted only
 * when it must be. */
static void sq_ident(struct strbuf *sb, const char *name)
{
	char *low = xstrdup(name);
	for (char *p = low; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	schema_quote(sb, low);
	free(low);
}

static void sq_ident_list(struct strbuf *sb, char *const *names, uint32_t n)
{
	sb_addc(sb, '(');
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			sb_adds(sb, ", ");
		sq_ident(sb, names[i]);
	}
	sb_addc(sb, ')');
}

static bool same_names(char *const *a, uint32_t na, char *const *b, uint32_t nb)
{
	if (na != nb)
		return false;
	for (uint32_t i = 0; i < na; i++)
		if (strcasecmp(a[i], b[i]) != 0)
			return false;
	return true;
}

/* The name of the first unused parsed constraint of kind with these
 * columns (and this referenced table), marking it used. */
static const char *parsed_name(struct sqlite_tabledef *def, bool *used, enum schema_con_kind kind,
                               char *const *cols, uint32_t ncols, const char *ref,
                               struct sqlite_condef **which)
{
	for (uint32_t i = 0; i < def->ncons; i++) {
		struct sqlite_condef *k = &def->cons[i];
		if (used[i] || k->kind != kind || !same_names(k->cols, k->ncols, cols, ncols))
			continue;
		if (ref && (!k->ref_table || strcasecmp(k->ref_table, ref) != 0))
			continue;
		used[i] = true;
		if (which)
			*which = k;
		return k->name;
	}
	return NULL;
}

struct sq_reader {
	struct db *db;
	struct schema *s;
	const char *version_table;
	char **err;
};

static int sq_rows(struct sq_reader *r, const char *sql, const char *arg, struct db_rows *out)
{
	return db_select(r->db, sql, &arg, arg ? 1 : 0, out, r->err);
}

void schema_strv_push(char ***v, uint32_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
}

void schema_strv_clear(char ***v, uint32_t *n)
{
	for (uint32_t i = 0; i < *n; i++)
		free((*v)[i]);
	free(*v);
	*v = NULL;
	*n = 0;
}

/* The primary key columns of a table, in key order. */
static int sq_pk_cols(struct sq_reader *r, const char *table, char ***cols, uint32_t *n)
{
	struct db_rows rows;
	int rc = sq_rows(r, "SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk",
	                 table, &rows);
	for (uint32_t i = 0; rc == RT_OK && i < rows.nrows; i++)
		schema_strv_push(cols, n, db_cell(&rows, i, 0));
	db_rows_free(&rows);
	return rc;
}

static int sq_columns(struct sq_reader *r, struct schema_table *t, const char *sql,
                      struct sqlite_tabledef *def)
{
	struct db_rows rows;
	int rc = sq_rows(r, "SELECT name, type, \"notnull\", dflt_value, hidden "
	                    "FROM pragma_table_xinfo(?1) ORDER BY cid", t->name, &rows);
	for (uint32_t i = 0; rc == RT_OK && i < rows.nrows; i++) {
		const char *name = db_cell(&rows, i, 0), *type = db_cell(&rows, i, 1);
		const char *dflt = db_cell(&rows, i, 3);
		int hidden = atoi(db_cell(&rows, i, 4) ? db_cell(&rows, i, 4) : "0");
		if (hidden == 1)
			continue;
		char *ntype = schema_norm_sql(type ? type : "", type ? strlen(type) : 0, SQL_SQLITE);
		char *ndflt = dflt ? schema_norm_sql(dflt, strlen(dflt), SQL_SQLITE) : NULL;
		struct schema_column *c = schema_add_column(r->s, t, name, ntype,
		                                            strcmp(db_cell(&rows, i, 2), "0") != 0, ndflt);
		free(ntype);
		free(ndflt);
		const struct sqlite_coldef *cd = NULL;
		for (uint32_t k = 0; k < def->ncols && !cd; k++)
			if (strcasecmp(def->cols[k].name, name) == 0)
				cd = &def->cols[k];
		if (!cd) {
			rc = rt_err(r->err, RT_EFAIL, "table %s: column %s is not in its CREATE TABLE",
			            t->name, name);
			break;
		}
		c->collation = schema_str(r->s, cd->collation);
		c->sql = arena_strndup(&r->s->arena, sql + cd->off, cd->len);
		if (hidden == 2 || hidden == 3) {
			if (!cd->generated) {
				rc = rt_err(r->err, RT_EFAIL, "table %s: cannot read the expression "
				            "of the generated column %s", t->name, name);
				break;
			}
			c->generated = schema_str(r->s, cd->generated);
			c->stored = hidden == 3;
		}
	}
	db_rows_free(&rows);
	return rc;
}

/* The key, unique and foreign-key constraints from the pragmas, named and
 * completed from the parsed text; checks from the text alone. */
static int sq_constraints(struct sq_reader *r, struct schema_table *t,
                          struct sqlite_tabledef *def)
{
	bool *used = xcalloc(def->ncons + 1, sizeof *used);
	struct strbuf sb = STRBUF_INIT;
	char **cols = NULL;
	uint32_t ncols = 0;
	struct db_rows rows = {0}, xrows = {0};
	int rc = sq_pk_cols(r, t->name, &cols, &ncols);
	if (rc == RT_OK && ncols) {
		bool autoinc = false;
		for (uint32_t k = 0; k < def->ncols; k++)
			autoinc |= def->cols[k].autoincrement;
		sb_adds(&sb, "PRIMARY KEY ");
		sq_ident_list(&sb, cols, ncols);
		if (autoinc)
			sb_adds(&sb, " AUTOINCREMENT");
		const char *name = parsed_name(def, used, SCHEMA_PRIMARY, cols, ncols, NULL, NULL);
		schema_add_constraint(r->s, t, SCHEMA_PRIMARY, name, sb_str(&sb),
		                      (const char *const *)cols, ncols);
	}
	schema_strv_clear(&cols, &ncols);
	if (rc == RT_OK)
		rc = sq_rows(r, "SELECT name FROM pragma_index_list(?1) WHERE origin = 'u' "
		                "ORDER BY name", t->name, &rows);
	for (uint32_t i = 0; rc == RT_OK && i < rows.nrows; i++) {
		rc = sq_rows(r, "SELECT name, \"desc\", coll FROM pragma_index_xinfo(?1) "
		                "WHERE key = 1 ORDER BY seqno", db_cell(&rows, i, 0), &xrows);
		sb_reset(&sb);
		sb_adds(&sb, "UNIQUE (");
		for (uint32_t k = 0; rc == RT_OK && k < xrows.nrows; k++) {
			const char *col = db_cell(&xrows, k, 0), *coll = db_cell(&xrows, k, 2);
			if (!col) {
				rc = rt_err(r->err, RT_EFAIL, "table %s: a unique key on an expression "
				            "is not supported", t->name);
				break;
			}
			schema_strv_push(&cols, &ncols, col);
			sb_adds(&sb, k ? ", " : "");
			sq_ident(&sb, col);
			if (coll && strcasecmp(coll, "BINARY") != 0) {
				sb_adds(&sb, " COLLATE ");
				sq_ident(&sb, coll);
			}
			if (strcmp(db_cell(&xrows, k, 1), "0") != 0)
				sb_adds(&sb, " DESC");
		}
		sb_addc(&sb, ')');
		if (rc == RT_OK) {
			const char *name = parsed_name(def, used, SCHEMA_UNIQUE, cols, ncols, NULL, NULL);
			schema_add_constraint(r->s, t, SCHEMA_UNIQUE, name, sb_str(&sb),
			                      (const char *const *)cols, ncols);
		}
		schema_strv_clear(&cols, &ncols);
		db_rows_free(&xrows);
	}
	db_rows_free(&rows);
	for (uint32_t k = 0; rc == RT_OK && k < def->ncons; k++) {
		struct sqlite_condef *cd = &def->cons[k];
		if (cd->kind != SCHEMA_CHECK)
			continue;
		sb_reset(&sb);
		sb_addf(&sb, "CHECK (%s)", cd->check);
		for (uint32_t c = 0; c < t->ncols; c++)
			if (schema_sql_mentions(cd->check, SQL_SQLITE, t->cols[c].name))
				schema_strv_push(&cols, &ncols, t->cols[c].name);
		schema_add_constraint(r->s, t, SCHEMA_CHECK, cd->name, sb_str(&sb),
		                      (const char *const *)cols, ncols);
		schema_strv_clear(&cols, &ncols);
	}
	if (rc == RT_OK)
		rc = sq_rows(r, "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete, "
		                "\"match\" FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
		             t->name, &rows);
	for (uint32_t i = 0; rc == RT_OK && i < rows.nrows;) {
		uint32_t end = i;
		char **to = NULL;
		uint32_t nto = 0;
		bool implicit = false;
		while (end < rows.nrows && strcmp(db_cell(&rows, end, 0), db_cell(&rows, i, 0)) == 0) {
			schema_strv_push(&cols, &ncols, db_cell(&rows, end, 2));
			if (db_cell(&rows, end, 3))
				schema_strv_push(&to, &nto, db_cell(&rows, end, 3));
			else
				implicit = true;
			end++;
		}
		const char *ref = db_cell(&rows, i, 1);
		if (implicit) {
			/* REFERENCES t without columns: t's primary key */
			schema_strv_clear(&to, &nto);
			rc = sq_pk_cols(r, ref, &to, &nto);
		}
		sb_reset(&sb);
		sb_adds(&sb, "FOREIGN KEY ");
		sq_ident_list(&sb, cols, ncols);
		sb_adds(&sb, " REFERENCES ");
		sq_ident(&sb, ref);
		if (nto)
			sq_ident_list(&sb, to, nto);
		const char *upd = db_cell(&rows, i, 4), *del = db_cell(&rows, i, 5);
		const char *match = db_cell(&rows, i, 6);
		if (upd && strcmp(upd, "NO ACTION") != 0)
			sb_addf(&sb, " ON UPDATE %s", upd);
		if (del && strcmp(del, "NO ACTION") != 0)
			sb_addf(&sb, " ON DELETE %s", del);
		if (match && strcmp(match, "NONE") != 0)
			sb_addf(&sb, " MATCH %s", match);
		struct sqlite_condef *which = NULL;
		const char *name = parsed_name(def, used, SCHEMA_FOREIGN, cols, ncols, ref, &which);
		if (which && which->deferrable)
			sb_adds(&sb, which->deferrable);
		if (rc == RT_OK) {
			struct schema_constraint *c = schema_add_constraint(
				r->s, t, SCHEMA_FOREIGN, name, sb_str(&sb), (const char *const *)cols, ncols);
			c->ref_table = schema_str(r->s, ref);
			c->on_delete = schema_str(r->s, del ? del : "NO ACTION");
		}
		schema_strv_clear(&cols, &ncols);
		schema_strv_clear(&to, &nto);
		i = end;
	}
	db_rows_free(&rows);
	free(used);
	sb_free(&sb);
	return rc;
}

static bool is_view(const struct db_rows *objs, const char *name)
{
	for (uint32_t i = 0; i < objs->nrows; i++)
		if (strcmp(db_cell(objs, i, 0), "view") == 0 &&
		    strcasecmp(db_cell(objs, i, 1), name) == 0)
			return true;
	return false;
}

static bool sq_excluded(const struct sq_reader *r, const char *name)
{
	return strcasecmp(name, r->version_table) == 0 ||
	       strcasecmp(name, DB_HISTORY_TABLE) == 0 ||
	       strncasecmp(name, "sqlite_", 7) == 0;
}

int schema_read_sqlite(struct db *db, const char *version_table, struct schema *s,
                       char **err)
{
	struct sq_reader r = {db, s, version_table, err};
	struct db_rows objs = {0};
	/* virtual tables and their shadow tables are not modelled; SQLite
	 * before 3.37 has no table_list to tell shadow tables by */
	char *ignored = NULL;
	int rc = db_select(db, "SELECT m.type, m.name, m.tbl_name, m.sql, "
	                       "coalesce((SELECT l.type FROM pragma_table_list l "
	                       "WHERE l.schema = 'main' AND l.name = m.name), m.type) "
	                       "FROM sqlite_master m WHERE m.sql IS NOT NULL ORDER BY m.name",
	                   NULL, 0, &objs, &ignored);
	free(ignored);
	if (rc != RT_OK)
		rc = sq_rows(&r, "SELECT type, name, tbl_name, sql, type FROM sqlite_master "
		                 "WHERE sql IS NOT NULL ORDER BY name", NULL, &objs);
	for (uint32_t i = 0; rc == RT_OK && i < objs.nrows; i++) {
		const char *type = db_cell(&objs, i, 0), *name = db_cell(&objs, i, 1);
		const char *sql = db_cell(&objs, i, 3), *kind = db_cell(&objs, i, 4);
		if (strcmp(type, "table") != 0 || sq_excluded(&r, name))
			continue;
		/* a virtual table's shadow tables are its own */
		if (strcmp(kind, "virtual") == 0 || strncasecmp(sql, "CREATE VIRTUAL", 14) == 0) {
			char *what = xasprintf("virtual table %s", name);
			schema_add_uncompared(s, what);
			free(what);
		}
		if (strcmp(kind, "table") != 0 || strncasecmp(sql, "CREATE VIRTUAL", 14) == 0)
			continue;
		struct sqlite_tabledef def;
		char *perr = NULL;
		if (sqlite_parse_table(sql, &def, &perr) != RT_OK) {
			rc = rt_err(err, RT_EFAIL, "table %s: cannot read its definition: %s", name, perr);
			free(perr);
			break;
		}
		struct schema_table *t = schema_add_table(s, name);
		t->sql = schema_str(s, sql);
		t->options = schema_str(s, def.options);
		if (def.on_conflict) {
			char *what = xasprintf("ON CONFLICT clause of table %s", name);
			schema_add_uncompared(s, what);
			free(what);
		}
		rc = sq_columns(&r, t, sql, &def);
		if (rc == RT_OK)
			rc = sq_constraints(&r, t, &def);
		sqlite_tabledef_free(&def);
	}
	/* names of tables and views, for what views and triggers read */
	const char **rels = xcalloc(objs.nrows + 1, sizeof *rels);
	uint32_t nrels = 0;
	for (uint32_t i = 0; i < objs.nrows; i++)
		if (strcmp(db_cell(&objs, i, 0), "table") == 0 || strcmp(db_cell(&objs, i, 0), "view") == 0)
			rels[nrels++] = db_cell(&objs, i, 1);
	const char **deps = xcalloc(nrels + 1, sizeof *deps);
	for (uint32_t i = 0; rc == RT_OK && i < objs.nrows; i++) {
		const char *type = db_cell(&objs, i, 0), *name = db_cell(&objs, i, 1);
		const char *table = db_cell(&objs, i, 2), *sql = db_cell(&objs, i, 3);
		bool index = strcmp(type, "index") == 0, view = strcmp(type, "view") == 0;
		bool trigger = strcmp(type, "trigger") == 0;
		if (!(index || view || trigger))
			continue;
		/* what is on a table left out is left out; a trigger may be on a view */
		if (index && !schema_find_table(s, table))
			continue;
		if (trigger && !schema_find_table(s, table) && !is_view(&objs, table))
			continue;
		bool unique = false;
		char *def = sqlite_def_after_name(sql, index, &unique);
		if (!def) {
			rc = rt_err(err, RT_EFAIL, "%s %s: cannot read its definition", type, name);
			break;
		}
		uint32_t ndeps = 0;
		for (uint32_t k = 0; k < nrels && !index; k++)
			if (strcasecmp(rels[k], name) != 0 && schema_sql_mentions(sql, SQL_SQLITE, rels[k]))
				deps[ndeps++] = rels[k];
		if (index) {
			char *full = unique ? xasprintf("unique %s", def) : xstrdup(def);
			schema_add_index(s, table, name, unique, full, sql, NULL, 0);
			free(full);
		} else if (view) {
			schema_add_view(s, name, def, sql, deps, ndeps);
		} else {
			schema_add_trigger(s, table, name, def, sql, deps, ndeps);
		}
		free(def);
	}
	free(rels);
	free(deps);
	db_rows_free(&objs);
	return rc;
}

int schema_read(struct db *db, const char *version_table, struct schema **out,
                char **err)
{
	struct schema *s = schema_new(db->dialect);
	int rc = db->dialect == SQL_POSTGRES ? schema_read_pg(db, version_table, s, err)
	                                     : schema_read_sqlite(db, version_table, s, err);
	if (rc != RT_OK) {
		schema_free(s);
		return rc;
	}
	schema_sort(s);
	*out = s;
	return RT_OK;
}
