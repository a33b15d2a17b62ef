/* schema_sql.c: the statements that turn one model into another.
 *
 * The order is what the servers need: what depends on a changing object
 * goes first (triggers, views, foreign keys, indexes, constraints), then
 * tables are dropped, created and altered, then the dependents come back
 * in dependency order. A view, trigger or foreign key that only depends on
 * something changing is dropped and recreated unchanged.
 *
 * SQLite cannot ALTER much: a table whose constraints, column definitions
 * or options change is rebuilt by SQLite's documented procedure (create
 * the new table under another name, copy the rows, drop the old table,
 * rename the new one, recreate indexes, views and triggers), inside the
 * migration's transaction. Foreign-key checks are deferred to its commit.
 * Dropping the old table deletes its rows first, which fires the ON DELETE
 * actions of the tables that reference it and, with NO ACTION, leaves
 * violations that the rename does not clear; so those tables (and theirs,
 * transitively) are rebuilt too, referencing the new copies, and their old
 * copies dropped first; the renames make every reference point at the
 * original names again. */
#include "schema_impl.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define REBUILD_PREFIX "retort_new_"

struct gen {
	const struct schema *a, *b;
	enum sql_dialect d;
	struct strbuf out;
	int32_t *ta_b;             /* a table → b table, -1: dropped */
	int32_t *tb_a;             /* b table → a table, -1: new */
	int32_t **con_ab;          /* per a table (matched): its constraints' match */
	int32_t **con_ba;          /* per b table (matched) */
	bool *rebuild;             /* per a table (SQLite) */
	bool *touched;             /* per a table: views and triggers must go */
	bool **fk_drop;            /* per a table (matched), per constraint */
	bool *view_drop, *view_make;
	bool *trig_drop, *trig_make;
};

/* ---- output ---- */

static void stmt_end(struct gen *g, struct strbuf *sb)
{
	sb_adds(&g->out, sb_str(sb));
	sb_adds(&g->out, ";\n");
	sb_reset(sb);
}

static void review(struct gen *g, const char *fmt, ...) RT_PRINTF(2, 3);
static void review(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	sb_adds(&g->out, "-- review: ");
	va_start(ap, fmt);
	sb_vaddf(&g->out, fmt, ap);
	va_end(ap);
	sb_addc(&g->out, '\n');
}

/* One statement: fmt with %s for each name, quoted. */
static void stmt_names(struct gen *g, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		if (p[0] == '%' && p[1] == 's') {
			schema_quote(&sb, va_arg(ap, const char *));
			p++;
		} else {
			sb_addc(&sb, *p);
		}
	}
	va_end(ap);
	stmt_end(g, &sb);
	sb_free(&sb);
}

/* A statement kept as the database printed it, without a final ';'. */
static void stmt_text(struct gen *g, const char *sql)
{
	size_t n = strlen(sql);
	while (n && (sql[n - 1] == ';' || sql[n - 1] == ' ' || sql[n - 1] == '\n' ||
	             sql[n - 1] == '\t' || sql[n - 1] == '\r'))
		n--;
	sb_addn(&g->out, sql, n);
	sb_adds(&g->out, ";\n");
}

/* ---- what changes ---- */

static const struct schema_table *tb_of(const struct gen *g, uint32_t ia)
{
	return g->ta_b[ia] < 0 ? NULL : &g->b->tables[g->ta_b[ia]];
}

static int32_t a_table(const struct gen *g, const char *name)
{
	return schema_table_at(g->a, name);
}

static bool con_changed(const struct gen *g, uint32_t ia, uint32_t k)
{
	const struct schema_table *ta = &g->a->tables[ia], *tb = tb_of(g, ia);
	int32_t m = g->con_ab[ia][k];
	return m < 0 || strcmp(ta->cons[k].def, tb->cons[m].def) != 0;
}

/* The index of a (on a surviving table) is dropped: gone or redefined. */
static bool index_goes(const struct gen *g, const struct schema_index *xa)
{
	int32_t j = schema_index_at(g->b, xa->name);
	return j < 0 || !schema_index_same(g->d, xa, &g->b->indexes[j]);
}

static bool index_comes(const struct gen *g, const struct schema_index *xb)
{
	int32_t i = schema_index_at(g->a, xb->name);
	return i < 0 || !schema_index_same(g->d, &g->a->indexes[i], xb);
}

static bool col_type_changes(const struct gen *g, uint32_t ia, const char *col)
{
	const struct schema_table *ta = &g->a->tables[ia], *tb = tb_of(g, ia);
	int32_t i = schema_col_at(g->d, ta, col);
	int32_t j = tb ? schema_col_at(g->d, tb, col) : -1;
	if (i < 0 || j < 0)
		return i >= 0;
	return (schema_col_diff(&ta->cols[i], &tb->cols[j]) &
	        (SCHEMA_COL_TYPE | SCHEMA_COL_GENERATED)) != 0;
}

/* SQLite's ALTER TABLE ADD COLUMN takes a column that has no PRIMARY KEY
 * or UNIQUE (those are constraints, which rebuild anyway), is not STORED,
 * is nullable or has a default, and whose default is a constant. */
static bool sqlite_addable(const struct schema_column *c)
{
	if (!c->sql || (c->generated && c->stored) || (c->notnull && !c->dflt))
		return false;
	if (!c->dflt)
		return true;
	return c->dflt[0] != '(' && strcasecmp(c->dflt, "current_time") != 0 &&
	       strcasecmp(c->dflt, "current_date") != 0 &&
	       strcasecmp(c->dflt, "current_timestamp") != 0;
}

static bool sqlite_needs_rebuild(const struct gen *g, uint32_t ia)
{
	const struct schema_table *ta = &g->a->tables[ia], *tb = tb_of(g, ia);
	if (!schema_str_eq(ta->options, tb->options))
		return true;
	for (uint32_t k = 0; k < ta->ncons; k++) {
		int32_t m = g->con_ab[ia][k];
		if (m < 0 || !schema_con_same(g->d, &ta->cons[k], &tb->cons[m]))
			return true;
	}
	for (uint32_t k = 0; k < tb->ncons; k++)
		if (g->con_ba[g->ta_b[ia]][k] < 0)
			return true;
	for (uint32_t k = 0; k < tb->ncols; k++) {
		int32_t i = schema_col_at(g->d, ta, tb->cols[k].name);
		if (i < 0 ? !sqlite_addable(&tb->cols[k])
		          : schema_col_diff(&ta->cols[i], &tb->cols[k]) != 0)
			return true;
	}
	return false;
}

static bool has_removed_col(const struct gen *g, uint32_t ia)
{
	const struct schema_table *ta = &g->a->tables[ia], *tb = tb_of(g, ia);
	for (uint32_t k = 0; k < ta->ncols; k++)
		if (schema_col_at(g->d, tb, ta->cols[k].name) < 0)
			return true;
	return false;
}

static void plan_tables(struct gen *g)
{
	const struct schema *a = g->a, *b = g->b;
	for (uint32_t i = 0; i < a->ntables; i++)
		g->ta_b[i] = schema_table_at(b, a->tables[i].name);
	for (uint32_t j = 0; j < b->ntables; j++) {
		g->tb_a[j] = schema_table_at(a, b->tables[j].name);
		if (g->tb_a[j] < 0)
			continue;
		uint32_t i = (uint32_t)g->tb_a[j];
		g->con_ab[i] = xcalloc(a->tables[i].ncons + 1, sizeof **g->con_ab);
		g->con_ba[j] = xcalloc(b->tables[j].ncons + 1, sizeof **g->con_ba);
		schema_match_cons(g->d, &a->tables[i], &b->tables[j], g->con_ab[i], g->con_ba[j]);
	}
	if (g->d == SQL_SQLITE) {
		for (uint32_t i = 0; i < a->ntables; i++)
			g->rebuild[i] = g->ta_b[i] >= 0 && sqlite_needs_rebuild(g, i);
		/* the rows of a table that references a rebuilt one must not
		 * see its old copy go: rebuild it too */
		for (bool more = true; more;) {
			more = false;
			for (uint32_t i = 0; i < a->ntables; i++) {
				const struct schema_table *t = &a->tables[i];
				for (uint32_t k = 0; k < t->ncons && !g->rebuild[i] && g->ta_b[i] >= 0; k++) {
					const struct schema_constraint *c = &t->cons[k];
					int32_t p = c->kind == SCHEMA_FOREIGN ? a_table(g, c->ref_table) : -1;
					if (p >= 0 && g->rebuild[p])
						g->rebuild[i] = more = true;
				}
			}
		}
	}
	for (uint32_t i = 0; i < a->ntables; i++) {
		if (g->ta_b[i] < 0 || g->rebuild[i]) {
			g->touched[i] = true;
			continue;
		}
		g->touched[i] = has_removed_col(g, i);
		for (uint32_t k = 0; k < a->tables[i].ncols && !g->touched[i] && g->d == SQL_POSTGRES; k++)
			g->touched[i] = col_type_changes(g, i, a->tables[i].cols[k].name);
	}
}

/* What a foreign key to table r relies on changes: r goes, or one of its
 * unique keys or unique indexes, or the type of one of its columns. */
static bool pg_ref_changes(const struct gen *g, int32_t r)
{
	if (r < 0)
		return false;  /* in another schema: not ours to change */
	if (g->ta_b[r] < 0)
		return true;
	const struct schema_table *ra = &g->a->tables[r];
	for (uint32_t c = 0; c < ra->ncons; c++)
		if (ra->cons[c].kind != SCHEMA_FOREIGN && ra->cons[c].kind != SCHEMA_CHECK &&
		    con_changed(g, (uint32_t)r, c))
			return true;
	for (uint32_t c = 0; c < ra->ncols; c++)
		if (col_type_changes(g, (uint32_t)r, ra->cols[c].name))
			return true;
	for (uint32_t x = 0; x < g->a->nindexes; x++) {
		const struct schema_index *xa = &g->a->indexes[x];
		if (xa->unique && schema_name_eq(g->d, xa->table, ra->name) && index_goes(g, xa))
			return true;
	}
	return false;
}

/* PostgreSQL: a foreign key is dropped (and added again if b has it) when
 * it changes, when a column of it changes type, or when what it relies on
 * in the referenced table changes. One of a dropped table goes with the
 * table, unless the referenced side must change first. */
static void plan_fks(struct gen *g)
{
	for (uint32_t i = 0; i < g->a->ntables; i++) {
		const struct schema_table *ta = &g->a->tables[i];
		g->fk_drop[i] = xcalloc(ta->ncons + 1, sizeof **g->fk_drop);
		for (uint32_t k = 0; k < ta->ncons; k++) {
			const struct schema_constraint *f = &ta->cons[k];
			if (f->kind != SCHEMA_FOREIGN)
				continue;
			int32_t r = a_table(g, f->ref_table);
			bool go;
			if (g->ta_b[i] < 0) {
				go = r != (int32_t)i && pg_ref_changes(g, r);
			} else {
				go = con_changed(g, i, k) || pg_ref_changes(g, r);
				for (uint32_t c = 0; c < f->ncols && !go; c++)
					go = col_type_changes(g, i, f->cols[c]);
			}
			g->fk_drop[i][k] = go;
		}
	}
}

static bool touched_name(const struct gen *g, const char *name)
{
	int32_t i = a_table(g, name);
	return i >= 0 && g->touched[i];
}

static bool view_dropped_name(const struct gen *g, const char *name)
{
	int32_t v = schema_view_at(g->a, name);
	return v >= 0 && g->view_drop[v];
}

static void plan_dependents(struct gen *g)
{
	const struct schema *a = g->a, *b = g->b;
	for (uint32_t v = 0; v < a->nviews; v++) {
		int32_t m = schema_view_at(b, a->views[v].name);
		g->view_drop[v] = m < 0 || strcmp(a->views[v].def, b->views[m].def) != 0;
	}
	for (bool more = true; more;) {
		more = false;
		for (uint32_t v = 0; v < a->nviews; v++) {
			for (uint32_t k = 0; k < a->views[v].ndeps && !g->view_drop[v]; k++) {
				const char *dep = a->views[v].deps[k];
				if (touched_name(g, dep) || view_dropped_name(g, dep))
					g->view_drop[v] = more = true;
			}
		}
	}
	for (uint32_t v = 0; v < b->nviews; v++) {
		int32_t m = schema_view_at(a, b->views[v].name);
		g->view_make[v] = m < 0 || g->view_drop[m];
	}
	for (uint32_t t = 0; t < a->ntriggers; t++) {
		const struct schema_trigger *x = &a->triggers[t];
		int32_t m = schema_trigger_at(b, x->table, x->name);
		bool go = m < 0 || strcmp(x->def, b->triggers[m].def) != 0 ||
		          !schema_name_eq(g->d, x->table, b->triggers[m].table) ||
		          touched_name(g, x->table) || view_dropped_name(g, x->table);
		for (uint32_t k = 0; k < x->ndeps && !go; k++)
			go = touched_name(g, x->deps[k]) || view_dropped_name(g, x->deps[k]);
		g->trig_drop[t] = go;
	}
	for (uint32_t t = 0; t < b->ntriggers; t++) {
		int32_t m = schema_trigger_at(a, b->triggers[t].table, b->triggers[t].name);
		g->trig_make[t] = m < 0 || g->trig_drop[m];
	}
}

/* ---- dependents: triggers and views ---- */

static void drop_triggers(struct gen *g)
{
	for (uint32_t t = 0; t < g->a->ntriggers; t++) {
		const struct schema_trigger *x = &g->a->triggers[t];
		int32_t on = a_table(g, x->table);
		/* those on a table that is dropped or rebuilt, or on a view that
		 * is dropped, go with it */
		if (!g->trig_drop[t] || (on >= 0 && (g->ta_b[on] < 0 || g->rebuild[on])) ||
		    view_dropped_name(g, x->table))
			continue;
		if (g->d == SQL_POSTGRES)
			stmt_names(g, "DROP TRIGGER %s ON %s", x->name, x->table);
		else
			stmt_names(g, "DROP TRIGGER %s", x->name);
	}
}

static void make_triggers(struct gen *g)
{
	for (uint32_t t = 0; t < g->b->ntriggers; t++)
		if (g->trig_make[t])
			stmt_text(g, g->b->triggers[t].sql);
}

static bool view_reads(const struct schema_view *v, enum sql_dialect d, const char *name)
{
	for (uint32_t k = 0; k < v->ndeps; k++)
		if (schema_name_eq(d, v->deps[k], name))
			return true;
	return false;
}

/* Views of s marked in `set`, in dependency order: readers after what
 * they read (create), or before it (drop). */
static void emit_views(struct gen *g, const struct schema *s, const bool *set, bool drop)
{
	bool *done = xcalloc(s->nviews + 1, sizeof *done);
	for (bool progress = true; progress;) {
		progress = false;
		for (uint32_t v = 0; v < s->nviews; v++) {
			if (!set[v] || done[v])
				continue;
			bool ready = true;
			for (uint32_t w = 0; w < s->nviews && ready; w++) {
				if (w == v || !set[w] || done[w])
					continue;
				/* drop: nothing left reads v; create: v reads nothing left */
				ready = drop ? !view_reads(&s->views[w], g->d, s->views[v].name)
				             : !view_reads(&s->views[v], g->d, s->views[w].name);
			}
			if (!ready)
				continue;
			if (drop)
				stmt_names(g, "DROP VIEW %s", s->views[v].name);
			else
				stmt_text(g, s->views[v].sql);
			done[v] = progress = true;
		}
	}
	/* a cycle cannot exist among views; emit whatever is left regardless */
	for (uint32_t v = 0; v < s->nviews; v++) {
		if (!set[v] || done[v])
			continue;
		if (drop)
			stmt_names(g, "DROP VIEW %s", s->views[v].name);
		else
			stmt_text(g, s->views[v].sql);
	}
	free(done);
}

/* ---- PostgreSQL ---- */

static void pg_coldef(struct strbuf *sb, const struct schema_column *c)
{
	schema_quote(sb, c->name);
	sb_addf(sb, " %s", schema_col_type(c));
	if (c->collation)
		sb_addf(sb, " COLLATE %s", c->collation);
	if (c->generated)
		sb_addf(sb, " GENERATED ALWAYS AS (%s) STORED", c->generated);
	if (c->identity)
		sb_addf(sb, " GENERATED %s AS IDENTITY", c->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
	if (c->dflt)
		sb_addf(sb, " DEFAULT %s", c->dflt);
	if (c->notnull)
		sb_adds(sb, " NOT NULL");
}

static bool not_valid(const struct schema_constraint *c)
{
	size_t n = strlen(c->def);
	return n >= 10 && strcmp(c->def + n - 10, " NOT VALID") == 0;
}

static void pg_add_con(struct gen *g, const char *table, const struct schema_constraint *c)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "ALTER TABLE ");
	schema_quote(&sb, table);
	sb_adds(&sb, " ADD CONSTRAINT ");
	schema_quote(&sb, c->name);
	sb_addf(&sb, " %s", c->def);
	stmt_end(g, &sb);
	sb_free(&sb);
}

static void pg_create_table(struct gen *g, const struct schema_table *t)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "CREATE TABLE ");
	schema_quote(&sb, t->name);
	sb_adds(&sb, " (");
	bool first = true;
	for (uint32_t k = 0; k < t->ncols; k++) {
		sb_adds(&sb, first ? "\n    " : ",\n    ");
		pg_coldef(&sb, &t->cols[k]);
		first = false;
	}
	for (uint32_t k = 0; k < t->ncons; k++) {
		const struct schema_constraint *c = &t->cons[k];
		if (c->kind == SCHEMA_FOREIGN || not_valid(c))
			continue;
		sb_adds(&sb, first ? "\n    " : ",\n    ");
		sb_adds(&sb, "CONSTRAINT ");
		schema_quote(&sb, c->name);
		sb_addf(&sb, " %s", c->def);
		first = false;
	}
	sb_adds(&sb, "\n)");
	stmt_end(g, &sb);
	sb_free(&sb);
	for (uint32_t k = 0; k < t->ncons; k++)
		if (t->cons[k].kind != SCHEMA_FOREIGN && not_valid(&t->cons[k]))
			pg_add_con(g, t->name, &t->cons[k]);
}

/* 'name'::regclass for a sequence. */
static void regclass_literal(struct strbuf *sb, const char *seq)
{
	struct strbuf id = STRBUF_INIT;
	schema_quote(&id, seq);
	schema_literal(sb, sb_str(&id));
	sb_adds(sb, "::regclass");
	sb_free(&id);
}

/* ALTER TABLE t ALTER COLUMN c <what>. */
static void pg_alter_col(struct gen *g, const char *table, const char *col,
                         const char *fmt, ...) RT_PRINTF(4, 5);
static void pg_alter_col(struct gen *g, const char *table, const char *col,
                         const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "ALTER TABLE ");
	schema_quote(&sb, table);
	sb_adds(&sb, " ALTER COLUMN ");
	schema_quote(&sb, col);
	sb_addc(&sb, ' ');
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	stmt_end(g, &sb);
	sb_free(&sb);
}

static void pg_add_column(struct gen *g, const char *table, const struct schema_column *c)
{
	if (c->notnull && !c->dflt && !c->identity && !c->serial && !c->generated)
		review(g, "%s.%s is NOT NULL without a default: adding it fails if %s has rows",
		       table, c->name, table);
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "ALTER TABLE ");
	schema_quote(&sb, table);
	sb_adds(&sb, " ADD COLUMN ");
	pg_coldef(&sb, c);
	stmt_end(g, &sb);
	sb_free(&sb);
}

static void pg_change_column(struct gen *g, const char *table, const struct schema_column *ca,
                             const struct schema_column *cb)
{
	unsigned bits = schema_col_diff(ca, cb);
	struct strbuf sb = STRBUF_INIT;
	if (bits & SCHEMA_COL_GENERATED) {
		review(g, "%s.%s: a generated column cannot be altered into another: it is "
		       "dropped and added again", table, ca->name);
		stmt_names(g, "ALTER TABLE %s DROP COLUMN %s", table, ca->name);
		pg_add_column(g, table, cb);
		return;
	}
	if (ca->identity && !cb->identity)
		pg_alter_col(g, table, ca->name, "DROP IDENTITY");
	bool serial_off = ca->serial && !cb->serial, serial_on = !ca->serial && cb->serial;
	if (ca->dflt && ((bits & SCHEMA_COL_DEFAULT) || serial_on))
		pg_alter_col(g, table, ca->name, "DROP DEFAULT");
	if (serial_off) {
		pg_alter_col(g, table, ca->name, "DROP DEFAULT");
		if (ca->sequence)
			stmt_names(g, "DROP SEQUENCE %s", ca->sequence);
	}
	bool type = strcmp(ca->type, cb->type) != 0;
	if (type || (bits & SCHEMA_COL_COLLATION)) {
		schema_quote(&sb, cb->name);
		char *col = sb_detach(&sb);
		sb_addf(&sb, "TYPE %s", cb->type);
		if (cb->collation || ca->collation)
			sb_addf(&sb, " COLLATE %s", cb->collation ? cb->collation : "\"default\"");
		if (type)
			sb_addf(&sb, " USING %s::%s", col, cb->type);
		pg_alter_col(g, table, ca->name, "%s", sb_str(&sb));
		sb_reset(&sb);
		free(col);
	}
	if (ca->serial && cb->serial && type && ca->sequence) {
		/* the sequence's own type bounds its values */
		sb_adds(&sb, "ALTER SEQUENCE ");
		schema_quote(&sb, ca->sequence);
		sb_addf(&sb, " AS %s", cb->type);
		stmt_end(g, &sb);
	}
	if (serial_on) {
		char *seq = cb->sequence ? xstrdup(cb->sequence)
		                         : xasprintf("%s_%s_seq", table, cb->name);
		sb_adds(&sb, "CREATE SEQUENCE ");
		schema_quote(&sb, seq);
		sb_addf(&sb, " AS %s OWNED BY ", cb->type);
		schema_quote(&sb, table);
		sb_addc(&sb, '.');
		schema_quote(&sb, cb->name);
		stmt_end(g, &sb);
		sb_adds(&sb, "DEFAULT nextval(");
		regclass_literal(&sb, seq);
		sb_addc(&sb, ')');
		pg_alter_col(g, table, ca->name, "SET %s", sb_str(&sb));
		sb_reset(&sb);
		/* the sequence continues after the rows already there */
		sb_adds(&sb, "SELECT setval(");
		regclass_literal(&sb, seq);
		sb_adds(&sb, ", coalesce(max(");
		schema_quote(&sb, cb->name);
		sb_adds(&sb, "), 0) + 1, false) FROM ");
		schema_quote(&sb, table);
		stmt_end(g, &sb);
		free(seq);
	} else if (cb->dflt && ((bits & SCHEMA_COL_DEFAULT) || serial_off)) {
		pg_alter_col(g, table, ca->name, "SET DEFAULT %s", cb->dflt);
	}
	if ((bits & SCHEMA_COL_NULL) && cb->notnull) {
		if (cb->dflt) {
			/* the default only fills rows written from now on */
			review(g, "%s.%s becomes NOT NULL: its NULLs take the default first", table,
			       ca->name);
			sb_adds(&sb, "UPDATE ");
			schema_quote(&sb, table);
			sb_adds(&sb, " SET ");
			schema_quote(&sb, cb->name);
			sb_addf(&sb, " = DEFAULT WHERE ");
			schema_quote(&sb, cb->name);
			sb_adds(&sb, " IS NULL");
			stmt_end(g, &sb);
		} else {
			review(g, "%s.%s becomes NOT NULL: this fails while a row holds NULL there",
			       table, ca->name);
		}
		pg_alter_col(g, table, ca->name, "SET NOT NULL");
	} else if (bits & SCHEMA_COL_NULL) {
		pg_alter_col(g, table, ca->name, "DROP NOT NULL");
	}
	if (cb->identity && !ca->identity) {
		pg_alter_col(g, table, ca->name, "ADD GENERATED %s AS IDENTITY",
		             cb->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
		/* the identity continues after the rows already there */
		struct strbuf id = STRBUF_INIT;
		schema_quote(&id, table);
		sb_adds(&sb, "SELECT setval(pg_get_serial_sequence(");
		schema_literal(&sb, sb_str(&id));
		sb_adds(&sb, ", ");
		schema_literal(&sb, cb->name);
		sb_adds(&sb, "), coalesce(max(");
		schema_quote(&sb, cb->name);
		sb_adds(&sb, "), 0) + 1, false) FROM ");
		sb_adds(&sb, sb_str(&id));
		stmt_end(g, &sb);
		sb_free(&id);
	} else if (cb->identity && ca->identity != cb->identity)
		pg_alter_col(g, table, ca->name, "SET GENERATED %s",
		             cb->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
	sb_free(&sb);
}

/* Drops and adds of columns in one table may be a rename: say so once. */
static void rename_hint(struct gen *g, const struct schema_table *ta,
                        const struct schema_table *tb)
{
	struct strbuf gone = STRBUF_INIT, come = STRBUF_INIT;
	for (uint32_t k = 0; k < ta->ncols; k++)
		if (schema_col_at(g->d, tb, ta->cols[k].name) < 0)
			sb_addf(&gone, "%s%s", gone.len ? ", " : "", ta->cols[k].name);
	for (uint32_t k = 0; k < tb->ncols; k++)
		if (schema_col_at(g->d, ta, tb->cols[k].name) < 0)
			sb_addf(&come, "%s%s", come.len ? ", " : "", tb->cols[k].name);
	if (gone.len && come.len)
		review(g, "%s: column(s) %s dropped and %s added; if this is a rename, use "
		       "ALTER TABLE %s RENAME COLUMN … TO … instead, which keeps the data",
		       tb->name, sb_str(&gone), sb_str(&come), tb->name);
	sb_free(&gone);
	sb_free(&come);
}

static void table_rename_hint(struct gen *g)
{
	struct strbuf gone = STRBUF_INIT, come = STRBUF_INIT;
	for (uint32_t i = 0; i < g->a->ntables; i++)
		if (g->ta_b[i] < 0)
			sb_addf(&gone, "%s%s", gone.len ? ", " : "", g->a->tables[i].name);
	for (uint32_t j = 0; j < g->b->ntables; j++)
		if (g->tb_a[j] < 0)
			sb_addf(&come, "%s%s", come.len ? ", " : "", g->b->tables[j].name);
	if (gone.len && come.len)
		review(g, "table(s) %s dropped and %s created; if this is a rename, use "
		       "ALTER TABLE … RENAME TO … instead, which keeps the rows",
		       sb_str(&gone), sb_str(&come));
	sb_free(&gone);
	sb_free(&come);
}

static void pg_generate(struct gen *g)
{
	const struct schema *a = g->a, *b = g->b;
	plan_fks(g);
	drop_triggers(g);
	emit_views(g, a, g->view_drop, true);
	for (uint32_t i = 0; i < a->ntables; i++)
		for (uint32_t k = 0; k < a->tables[i].ncons; k++)
			if (g->fk_drop[i][k])
				stmt_names(g, "ALTER TABLE %s DROP CONSTRAINT %s", a->tables[i].name,
				           a->tables[i].cons[k].name);
	for (uint32_t x = 0; x < a->nindexes; x++) {
		int32_t t = a_table(g, a->indexes[x].table);
		if (t >= 0 && g->ta_b[t] >= 0 && index_goes(g, &a->indexes[x]))
			stmt_names(g, "DROP INDEX %s", a->indexes[x].name);
	}
	for (uint32_t i = 0; i < a->ntables; i++) {
		if (g->ta_b[i] < 0)
			continue;
		for (uint32_t k = 0; k < a->tables[i].ncons; k++)
			if (a->tables[i].cons[k].kind != SCHEMA_FOREIGN && con_changed(g, i, k))
				stmt_names(g, "ALTER TABLE %s DROP CONSTRAINT %s", a->tables[i].name,
				           a->tables[i].cons[k].name);
	}
	table_rename_hint(g);
	for (uint32_t i = 0; i < a->ntables; i++)
		if (g->ta_b[i] < 0)
			stmt_names(g, "DROP TABLE %s", a->tables[i].name);
	for (uint32_t j = 0; j < b->ntables; j++)
		if (g->tb_a[j] < 0)
			pg_create_table(g, &b->tables[j]);
	for (uint32_t j = 0; j < b->ntables; j++) {
		if (g->tb_a[j] < 0)
			continue;
		uint32_t i = (uint32_t)g->tb_a[j];
		const struct schema_table *ta = &a->tables[i], *tb = &b->tables[j];
		for (uint32_t k = 0; k < ta->ncons; k++) {
			int32_t m = g->con_ab[i][k];
			if (m >= 0 && !g->fk_drop[i][k] && !con_changed(g, i, k) &&
			    !schema_str_eq(ta->cons[k].name, tb->cons[m].name))
				stmt_names(g, "ALTER TABLE %s RENAME CONSTRAINT %s TO %s", tb->name,
				           ta->cons[k].name, tb->cons[m].name);
		}
		rename_hint(g, ta, tb);
		for (uint32_t k = 0; k < tb->ncols; k++) {
			int32_t c = schema_col_at(g->d, ta, tb->cols[k].name);
			if (c < 0)
				pg_add_column(g, tb->name, &tb->cols[k]);
			else if (schema_col_diff(&ta->cols[c], &tb->cols[k]))
				pg_change_column(g, tb->name, &ta->cols[c], &tb->cols[k]);
		}
		for (uint32_t k = 0; k < ta->ncols; k++)
			if (schema_col_at(g->d, tb, ta->cols[k].name) < 0)
				stmt_names(g, "ALTER TABLE %s DROP COLUMN %s", tb->name, ta->cols[k].name);
	}
	/* keys before checks, as CREATE TABLE would have them */
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t j = 0; j < b->ntables; j++) {
			if (g->tb_a[j] < 0)
				continue;
			const struct schema_table *ta = &a->tables[g->tb_a[j]], *tb = &b->tables[j];
			for (uint32_t k = 0; k < tb->ncons; k++) {
				const struct schema_constraint *c = &tb->cons[k];
				int32_t m = g->con_ba[j][k];
				if (c->kind == SCHEMA_FOREIGN || (c->kind == SCHEMA_CHECK) != (pass == 1))
					continue;
				if (m < 0 || strcmp(ta->cons[m].def, c->def) != 0)
					pg_add_con(g, tb->name, c);
			}
		}
	}
	for (uint32_t x = 0; x < b->nindexes; x++) {
		int32_t t = schema_table_at(b, b->indexes[x].table);
		if (t >= 0 && (g->tb_a[t] < 0 || index_comes(g, &b->indexes[x])))
			stmt_text(g, b->indexes[x].sql);
	}
	for (uint32_t j = 0; j < b->ntables; j++) {
		const struct schema_table *tb = &b->tables[j];
		for (uint32_t k = 0; k < tb->ncons; k++) {
			if (tb->cons[k].kind != SCHEMA_FOREIGN)
				continue;
			int32_t m = g->tb_a[j] < 0 ? -1 : g->con_ba[j][k];
			if (m < 0 || g->fk_drop[g->tb_a[j]][m])
				pg_add_con(g, tb->name, &tb->cons[k]);
		}
	}
	emit_views(g, b, g->view_make, false);
	make_triggers(g);
}

/* ---- SQLite ---- */

static char *rebuild_name(const char *table)
{
	return xasprintf(REBUILD_PREFIX "%s", table);
}

/* b's CREATE TABLE for a rebuilt table, naming the new copy and making
 * references to rebuilt tables point at their new copies. */
static int sqlite_new_copy_sql(struct gen *g, const struct schema_table *tb,
                               struct strbuf *out)
{
	struct sqlite_tabledef def;
	char *err = NULL;
	if (sqlite_parse_table(tb->sql, &def, &err) != RT_OK) {
		free(err);
		return RT_EFAIL;
	}
	/* the spans to replace, in text order: the name, then references */
	size_t pos = 0;
	for (uint32_t k = 0; k <= def.nrefs; k++) {
		size_t off = k == 0 ? def.name_off : def.ref_off[k - 1];
		size_t len = k == 0 ? def.name_len : def.ref_len[k - 1];
		const char *target = NULL;
		char *ref = NULL;
		if (k == 0) {
			target = tb->name;
		} else {
			ref = schema_norm_sql(tb->sql + off, len, SQL_SQLITE);
			/* a qualified "main".x names x */
			const char *dot = strrchr(ref, '.');
			const char *bare = dot ? dot + 1 : ref;
			char *unq = bare[0] == '"' ? schema_unquote(bare, strlen(bare)) : xstrdup(bare);
			int32_t r = a_table(g, unq);
			if (r >= 0 && g->rebuild[r])
				target = g->a->tables[r].name;
			free(unq);
		}
		if (!target) {
			free(ref);
			continue;
		}
		sb_addn(out, tb->sql + pos, off - pos);
		char *nn = rebuild_name(target);
		schema_quote(out, nn);
		free(nn);
		free(ref);
		pos = off + len;
	}
	sb_adds(out, tb->sql + pos);
	sqlite_tabledef_free(&def);
	return RT_OK;
}

static void sqlite_rebuild_create(struct gen *g, uint32_t ia)
{
	const struct schema_table *tb = tb_of(g, ia);
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&g->out, "-- rebuild %s: a new copy, its rows, the old copy dropped, the new "
	        "one renamed\n", tb->name);
	if (sqlite_new_copy_sql(g, tb, &sb) != RT_OK) {
		review(g, "%s: its CREATE TABLE could not be read to name the new copy", tb->name);
		sb_reset(&sb);
		sb_adds(&sb, tb->sql);
	}
	stmt_end(g, &sb);
	sb_free(&sb);
}

static void sqlite_rebuild_copy(struct gen *g, uint32_t ia)
{
	const struct schema_table *ta = &g->a->tables[ia], *tb = tb_of(g, ia);
	struct strbuf sb = STRBUF_INIT, cols = STRBUF_INIT, vals = STRBUF_INIT;
	for (uint32_t k = 0; k < tb->ncols; k++) {
		const struct schema_column *cb = &tb->cols[k];
		int32_t c = schema_col_at(g->d, ta, cb->name);
		bool was_null = c >= 0 && !ta->cols[c].notnull;
		if (cb->notnull && !cb->dflt && !cb->generated && (c < 0 || was_null))
			review(g, "%s.%s is NOT NULL%s: the copy fails if %s", tb->name, cb->name,
			       c < 0 ? " without a default" : "",
			       c < 0 ? "the table has rows" : "a row holds NULL there");
		if (c < 0 || cb->generated || ta->cols[c].generated)
			continue;
		if (cols.len) {
			sb_adds(&cols, ", ");
			sb_adds(&vals, ", ");
		}
		schema_quote(&cols, cb->name);
		/* an explicit NULL would not take the new default */
		if (cb->notnull && cb->dflt && was_null) {
			sb_adds(&vals, "coalesce(");
			schema_quote(&vals, ta->cols[c].name);
			sb_addf(&vals, ", %s)", cb->dflt);
		} else {
			schema_quote(&vals, ta->cols[c].name);
		}
	}
	if (cols.len) {
		char *nn = rebuild_name(ta->name);
		sb_adds(&sb, "INSERT INTO ");
		schema_quote(&sb, nn);
		sb_addf(&sb, " (%s) SELECT %s FROM ", sb_str(&cols), sb_str(&vals));
		schema_quote(&sb, ta->name);
		stmt_end(g, &sb);
		free(nn);
	} else {
		review(g, "%s: no column is kept, so no row is copied", tb->name);
	}
	sb_free(&sb);
	sb_free(&cols);
	sb_free(&vals);
}

static bool references(const struct schema_table *t, enum sql_dialect d, const char *name)
{
	for (uint32_t k = 0; k < t->ncons; k++)
		if (t->cons[k].kind == SCHEMA_FOREIGN && !schema_name_eq(d, t->name, name) &&
		    schema_name_eq(d, t->cons[k].ref_table, name))
			return true;
	return false;
}

/* Drops the old copies of rebuilt tables and the dropped tables, a table
 * that references another before it (RESTRICT is never deferred). */
static void sqlite_drop_tables(struct gen *g)
{
	const struct schema *a = g->a;
	bool *go = xcalloc(a->ntables + 1, sizeof *go), *done = xcalloc(a->ntables + 1, sizeof *done);
	for (uint32_t i = 0; i < a->ntables; i++)
		go[i] = g->ta_b[i] < 0 || g->rebuild[i];
	for (uint32_t round = 0; round <= a->ntables; round++) {
		for (uint32_t i = 0; i < a->ntables; i++) {
			if (!go[i] || done[i])
				continue;
			bool ready = true;
			for (uint32_t k = 0; k < a->ntables && ready && round < a->ntables; k++)
				if (k != i && go[k] && !done[k] && references(&a->tables[k], g->d, a->tables[i].name))
					ready = false;
			if (!ready)
				continue;
			if (g->rebuild[i])
				sb_adds(&g->out, "-- retort:ignore drop-table  the old copy: its rows are in "
				                 "the new one\n");
			stmt_names(g, "DROP TABLE %s", a->tables[i].name);
			done[i] = true;
		}
	}
	free(go);
	free(done);
}

static void sqlite_generate(struct gen *g)
{
	const struct schema *a = g->a, *b = g->b;
	bool any_rebuild = false, any_drop = false;
	for (uint32_t i = 0; i < a->ntables; i++) {
		any_rebuild |= g->rebuild[i];
		any_drop |= g->ta_b[i] < 0;
	}
	if (any_rebuild || any_drop)
		sb_adds(&g->out, "-- foreign keys are checked when the migration commits\n"
		                 "PRAGMA defer_foreign_keys = ON;\n");
	drop_triggers(g);
	emit_views(g, a, g->view_drop, true);
	for (uint32_t x = 0; x < a->nindexes; x++) {
		int32_t t = a_table(g, a->indexes[x].table);
		if (t >= 0 && g->ta_b[t] >= 0 && !g->rebuild[t] && index_goes(g, &a->indexes[x]))
			stmt_names(g, "DROP INDEX %s", a->indexes[x].name);
	}
	/* every new copy exists before rows go in: a key names its table */
	for (uint32_t i = 0; i < a->ntables; i++)
		if (g->rebuild[i])
			sqlite_rebuild_create(g, i);
	for (uint32_t i = 0; i < a->ntables; i++)
		if (g->rebuild[i])
			sqlite_rebuild_copy(g, i);
	table_rename_hint(g);
	sqlite_drop_tables(g);
	for (uint32_t i = 0; i < a->ntables; i++) {
		if (!g->rebuild[i])
			continue;
		char *nn = rebuild_name(a->tables[i].name);
		stmt_names(g, "ALTER TABLE %s RENAME TO %s", nn, tb_of(g, i)->name);
		free(nn);
	}
	for (uint32_t j = 0; j < b->ntables; j++) {
		int32_t i = g->tb_a[j];
		if (i < 0 || g->rebuild[i])
			continue;
		const struct schema_table *ta = &a->tables[i], *tb = &b->tables[j];
		rename_hint(g, ta, tb);
		for (uint32_t k = 0; k < tb->ncols; k++) {
			if (schema_col_at(g->d, ta, tb->cols[k].name) >= 0)
				continue;
			struct strbuf sb = STRBUF_INIT;
			sb_adds(&sb, "ALTER TABLE ");
			schema_quote(&sb, tb->name);
			sb_addf(&sb, " ADD COLUMN %s", tb->cols[k].sql);
			stmt_end(g, &sb);
			sb_free(&sb);
		}
		for (uint32_t k = 0; k < ta->ncols; k++)
			if (schema_col_at(g->d, tb, ta->cols[k].name) < 0)
				stmt_names(g, "ALTER TABLE %s DROP COLUMN %s", tb->name, ta->cols[k].name);
	}
	for (uint32_t j = 0; j < b->ntables; j++)
		if (g->tb_a[j] < 0)
			stmt_text(g, b->tables[j].sql);
	for (uint32_t x = 0; x < b->nindexes; x++) {
		int32_t t = schema_table_at(b, b->indexes[x].table);
		if (t < 0)
			continue;
		int32_t i = g->tb_a[t];
		if (i < 0 || g->rebuild[i] || index_comes(g, &b->indexes[x]))
			stmt_text(g, b->indexes[x].sql);
	}
	emit_views(g, b, g->view_make, false);
	make_triggers(g);
}

char *schema_sql(const struct schema *from, const struct schema *to)
{
	struct gen g = {0};
	g.a = from;
	g.b = to;
	g.d = from->dialect;
	uint32_t na = from->ntables + 1, nb = to->ntables + 1;
	g.ta_b = xcalloc(na, sizeof *g.ta_b);
	g.tb_a = xcalloc(nb, sizeof *g.tb_a);
	g.con_ab = xcalloc(na, sizeof *g.con_ab);
	g.con_ba = xcalloc(nb, sizeof *g.con_ba);
	g.rebuild = xcalloc(na, sizeof *g.rebuild);
	g.touched = xcalloc(na, sizeof *g.touched);
	g.fk_drop = xcalloc(na, sizeof *g.fk_drop);
	g.view_drop = xcalloc(from->nviews + 1, sizeof *g.view_drop);
	g.view_make = xcalloc(to->nviews + 1, sizeof *g.view_make);
	g.trig_drop = xcalloc(from->ntriggers + 1, sizeof *g.trig_drop);
	g.trig_make = xcalloc(to->ntriggers + 1, sizeof *g.trig_make);
	plan_tables(&g);
	plan_dependents(&g);
	if (g.d == SQL_POSTGRES)
		pg_generate(&g);
	else
		sqlite_generate(&g);
	for (uint32_t i = 0; i < from->ntables; i++) {
		free(g.con_ab[i]);
		free(g.fk_drop[i]);
	}
	for (uint32_t j = 0; j < to->ntables; j++)
		free(g.con_ba[j]);
	free(g.ta_b);
	free(g.tb_a);
	free(g.con_ab);
	free(g.con_ba);
	free(g.rebuild);
	free(g.touched);
	free(g.fk_drop);
	free(g.view_drop);
	free(g.view_make);
	free(g.trig_drop);
	free(g.trig_make);
	return sb_detach(&g.out);
}
