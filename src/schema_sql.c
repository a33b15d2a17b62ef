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

/* ---- output ---- */

void gen_stmt_end(struct gen *g, struct strbuf *sb)
{
	sb_adds(&g->out, sb_str(sb));
	sb_adds(&g->out, ";\n");
	sb_reset(sb);
}

void gen_review(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	sb_adds(&g->out, "-- review: ");
	va_start(ap, fmt);
	sb_vaddf(&g->out, fmt, ap);
	va_end(ap);
	sb_addc(&g->out, '\n');
}

/* One statement: fmt with %s for each name, quoted, and %S for text
 * that is already SQL (a function's "name(args)"). */
void gen_stmt_names(struct gen *g, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		if (p[0] == '%' && p[1] == 's') {
			schema_quote(&sb, va_arg(ap, const char *));
			p++;
		} else if (p[0] == '%' && p[1] == 'S') {
			sb_adds(&sb, va_arg(ap, const char *));
			p++;
		} else {
			sb_addc(&sb, *p);
		}
	}
	va_end(ap);
	gen_stmt_end(g, &sb);
	sb_free(&sb);
}

/* A statement kept as the database printed it, without a final ';'. */
void gen_stmt_text(struct gen *g, const char *sql)
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

/* A constraint is dropped and added again: it changes, or it names a type
 * that is rebuilt (which it depends on). */
static bool con_changed(const struct gen *g, uint32_t ia, uint32_t k)
{
	const struct schema_table *ta = &g->a->tables[ia], *tb = tb_of(g, ia);
	int32_t m = g->con_ab[ia][k];
	return m < 0 || strcmp(ta->cons[k].def, tb->cons[m].def) != 0 ||
	       gen_mentions_rebuilt(g, ta->cons[k].def);
}

/* The index of a (on a surviving table) is dropped: gone, redefined, or
 * naming a type that is rebuilt. */
static bool index_goes(const struct gen *g, const struct schema_index *xa)
{
	int32_t j = schema_index_at(g->b, xa->name);
	return j < 0 || !schema_index_same(g->d, xa, &g->b->indexes[j]) ||
	       gen_mentions_rebuilt(g, xa->def);
}

static bool index_comes(const struct gen *g, const struct schema_index *xb)
{
	int32_t i = schema_index_at(g->a, xb->name);
	return i < 0 || !schema_index_same(g->d, &g->a->indexes[i], xb) ||
	       gen_mentions_rebuilt(g, xb->def);
}

/* A column whose values are rewritten: its type changes (or is rebuilt),
 * or its generation expression does. */
static bool col_retyped(const struct gen *g, const struct schema_column *ca,
                        const struct schema_column *cb)
{
	return (schema_col_diff(ca, cb) & (SCHEMA_COL_TYPE | SCHEMA_COL_GENERATED)) != 0 ||
	       gen_col_rebuilt(g, ca) ||
	       (ca->generated && gen_mentions_rebuilt(g, ca->generated));
}

static bool col_type_changes(const struct gen *g, uint32_t ia, const char *col)
{
	const struct schema_table *ta = &g->a->tables[ia], *tb = tb_of(g, ia);
	int32_t i = schema_col_at(g->d, ta, col);
	int32_t j = tb ? schema_col_at(g->d, tb, col) : -1;
	if (i < 0 || j < 0)
		return i >= 0;
	return col_retyped(g, &ta->cols[i], &tb->cols[j]);
}

/* What PostgreSQL cannot ALTER: a table that becomes partitioned or stops
 * being so, a new partition key, a partition that becomes a table or the
 * reverse. Such a table is dropped and created again. */
static bool pg_recreated(const struct schema_table *ta, const struct schema_table *tb)
{
	return !schema_str_eq(ta->partition_by, tb->partition_by) || !ta->parent != !tb->parent;
}

/* How deep a table is in its partition tree (0: not a partition). */
static uint32_t partition_depth(const struct schema *s, const struct schema_table *t)
{
	uint32_t d = 0;
	for (; t && t->parent && d <= s->ntables; d++)
		t = schema_find_table(s, t->parent);
	return d;
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
		if (g->tb_a[j] >= 0 && g->d == SQL_POSTGRES &&
		    pg_recreated(&a->tables[g->tb_a[j]], &b->tables[j])) {
			g->ta_b[g->tb_a[j]] = -1;
			g->tb_a[j] = -1;
		}
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
	/* a partition's columns are its parent's */
	for (bool more = true; more;) {
		more = false;
		for (uint32_t i = 0; i < a->ntables; i++) {
			int32_t p = a->tables[i].parent ? a_table(g, a->tables[i].parent) : -1;
			if (p >= 0 && g->touched[p] && !g->touched[i])
				g->touched[i] = more = true;
		}
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
		const struct schema_view *va = &a->views[v];
		int32_t m = schema_view_at(b, va->name);
		g->view_drop[v] = m < 0 || strcmp(va->def, b->views[m].def) != 0 ||
		                  va->materialized != b->views[m].materialized ||
		                  gen_mentions_rebuilt(g, va->def);
		for (uint32_t k = 0; k < va->nfuncs && !g->view_drop[v]; k++)
			g->view_drop[v] = gen_func_recreated(g, va->funcs[k]);
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
		          touched_name(g, x->table) || view_dropped_name(g, x->table) ||
		          (x->func && gen_func_recreated(g, x->func)) ||
		          gen_mentions_rebuilt(g, x->def);
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
			gen_stmt_names(g, "DROP TRIGGER %s ON %s", x->name, x->table);
		else
			gen_stmt_names(g, "DROP TRIGGER %s", x->name);
	}
}

static void make_triggers(struct gen *g)
{
	for (uint32_t t = 0; t < g->b->ntriggers; t++)
		if (g->trig_make[t])
			gen_stmt_text(g, g->b->triggers[t].sql);
}

static bool view_reads(const struct schema_view *v, enum sql_dialect d, const char *name)
{
	for (uint32_t k = 0; k < v->ndeps; k++)
		if (schema_name_eq(d, v->deps[k], name))
			return true;
	return false;
}

static void emit_view(struct gen *g, const struct schema_view *v, bool drop)
{
	if (drop)
		gen_stmt_names(g, v->materialized ? "DROP MATERIALIZED VIEW %s" : "DROP VIEW %s",
		               v->name);
	else
		gen_stmt_text(g, v->sql);
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
			emit_view(g, &s->views[v], drop);
			done[v] = progress = true;
		}
	}
	/* a cycle cannot exist among views; emit whatever is left regardless */
	for (uint32_t v = 0; v < s->nviews; v++) {
		if (!set[v] || done[v])
			continue;
		emit_view(g, &s->views[v], drop);
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
	gen_stmt_end(g, &sb);
	sb_free(&sb);
}

static void pg_create_table(struct gen *g, const struct schema_table *t)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, t->options && strcmp(t->options, "unlogged") == 0 ? "CREATE UNLOGGED TABLE "
	                                                                  : "CREATE TABLE ");
	schema_quote(&sb, t->name);
	if (t->parent) {
		/* a partition: the parent's columns; its own constraints after */
		sb_adds(&sb, " PARTITION OF ");
		schema_quote(&sb, t->parent);
		sb_addf(&sb, " %s", t->bound);
		if (t->partition_by)
			sb_addf(&sb, " PARTITION BY %s", t->partition_by);
		gen_stmt_end(g, &sb);
		sb_free(&sb);
		for (uint32_t k = 0; k < t->ncons; k++)
			if (t->cons[k].kind != SCHEMA_FOREIGN)
				pg_add_con(g, t->name, &t->cons[k]);
		return;
	}
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
	if (t->partition_by)
		sb_addf(&sb, " PARTITION BY %s", t->partition_by);
	gen_stmt_end(g, &sb);
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
	gen_stmt_end(g, &sb);
	sb_free(&sb);
}

static void pg_add_column(struct gen *g, const char *table, const struct schema_column *c)
{
	if (c->notnull && !c->dflt && !c->identity && !c->serial && !c->generated)
		gen_review(g, "%s.%s is NOT NULL without a default: adding it fails if %s has rows",
		       table, c->name, table);
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "ALTER TABLE ");
	schema_quote(&sb, table);
	sb_adds(&sb, " ADD COLUMN ");
	pg_coldef(&sb, c);
	gen_stmt_end(g, &sb);
	sb_free(&sb);
}

static void pg_change_column(struct gen *g, const char *table, const struct schema_column *ca,
                             const struct schema_column *cb)
{
	unsigned bits = schema_col_diff(ca, cb);
	struct strbuf sb = STRBUF_INIT;
	/* a column of a type that is rebuilt is cast to the new one; a
	 * default that names such a type is set again */
	bool rebuilt = gen_col_rebuilt(g, ca);
	bool type = strcmp(ca->type, cb->type) != 0 || rebuilt;
	/* dropped before what it names (pg_generate) */
	bool dropped = ca->dflt && gen_mentions_rebuilt(g, ca->dflt);
	bool reset = (ca->dflt && type) || dropped;
	if ((bits & SCHEMA_COL_GENERATED) || (ca->generated && gen_mentions_rebuilt(g, ca->generated))) {
		gen_review(g, "%s.%s: a generated column cannot be altered into another: it is "
		       "dropped and added again", table, ca->name);
		gen_stmt_names(g, "ALTER TABLE %s DROP COLUMN %s", table, ca->name);
		pg_add_column(g, table, cb);
		return;
	}
	if (ca->identity && !cb->identity)
		pg_alter_col(g, table, ca->name, "DROP IDENTITY");
	bool serial_off = ca->serial && !cb->serial, serial_on = !ca->serial && cb->serial;
	/* a default of the old type may not cast to the new one */
	if (ca->dflt && !dropped && ((bits & SCHEMA_COL_DEFAULT) || serial_on || reset))
		pg_alter_col(g, table, ca->name, "DROP DEFAULT");
	if (serial_off) {
		pg_alter_col(g, table, ca->name, "DROP DEFAULT");
		if (ca->sequence)
			gen_stmt_names(g, "DROP SEQUENCE %s", ca->sequence);
	}
	if (type || (bits & SCHEMA_COL_COLLATION)) {
		schema_quote(&sb, cb->name);
		char *col = sb_detach(&sb);
		sb_addf(&sb, "TYPE %s", cb->type);
		if (cb->collation || ca->collation)
			sb_addf(&sb, " COLLATE %s", cb->collation ? cb->collation : "\"default\"");
		/* there is no cast between two enums or composite types: their
		 * values go through their text */
		if (type)
			sb_addf(&sb, " USING %s%s::%s", col, gen_cast_via_text(g, ca->type), cb->type);
		if (type && gen_type_gains_values(g, cb->type))
			g->uses_added = true;
		pg_alter_col(g, table, ca->name, "%s", sb_str(&sb));
		sb_reset(&sb);
		free(col);
	}
	if (ca->serial && cb->serial && type && ca->sequence) {
		/* the sequence's own type bounds its values */
		sb_adds(&sb, "ALTER SEQUENCE ");
		schema_quote(&sb, ca->sequence);
		sb_addf(&sb, " AS %s", cb->type);
		gen_stmt_end(g, &sb);
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
		gen_stmt_end(g, &sb);
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
		gen_stmt_end(g, &sb);
		free(seq);
	} else if (cb->dflt && ((bits & SCHEMA_COL_DEFAULT) || serial_off || reset)) {
		pg_alter_col(g, table, ca->name, "SET DEFAULT %s", cb->dflt);
	}
	if ((bits & SCHEMA_COL_NULL) && cb->notnull) {
		if (cb->dflt) {
			/* the default only fills rows written from now on */
			gen_review(g, "%s.%s becomes NOT NULL: its NULLs take the default first", table,
			       ca->name);
			sb_adds(&sb, "UPDATE ");
			schema_quote(&sb, table);
			sb_adds(&sb, " SET ");
			schema_quote(&sb, cb->name);
			sb_addf(&sb, " = DEFAULT WHERE ");
			schema_quote(&sb, cb->name);
			sb_adds(&sb, " IS NULL");
			gen_stmt_end(g, &sb);
		} else {
			gen_review(g, "%s.%s becomes NOT NULL: this fails while a row holds NULL there",
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
		gen_stmt_end(g, &sb);
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
		gen_review(g, "%s: column(s) %s dropped and %s added; if this is a rename, use "
		       "ALTER TABLE %s RENAME COLUMN … TO … instead, which keeps the data",
		       tb->name, sb_str(&gone), sb_str(&come), tb->name);
	sb_free(&gone);
	sb_free(&come);
}

static void table_rename_hint(struct gen *g)
{
	struct strbuf gone = STRBUF_INIT, come = STRBUF_INIT;
	/* a table dropped and created under the same name is not a rename */
	for (uint32_t i = 0; i < g->a->ntables; i++)
		if (g->ta_b[i] < 0 && schema_table_at(g->b, g->a->tables[i].name) < 0)
			sb_addf(&gone, "%s%s", gone.len ? ", " : "", g->a->tables[i].name);
	for (uint32_t j = 0; j < g->b->ntables; j++)
		if (g->tb_a[j] < 0 && schema_table_at(g->a, g->b->tables[j].name) < 0)
			sb_addf(&come, "%s%s", come.len ? ", " : "", g->b->tables[j].name);
	if (gone.len && come.len)
		gen_review(g, "table(s) %s dropped and %s created; if this is a rename, use "
		       "ALTER TABLE … RENAME TO … instead, which keeps the rows",
		       sb_str(&gone), sb_str(&come));
	sb_free(&gone);
	sb_free(&come);
}

/* Tables in the order to drop them (deepest partitions first: a parent's
 * drop takes its partitions) or to create them (parents first). */
static void pg_tables_in_order(struct gen *g, bool drop)
{
	const struct schema *s = drop ? g->a : g->b;
	uint32_t depth = 0;
	for (uint32_t i = 0; i < s->ntables; i++) {
		uint32_t d = partition_depth(s, &s->tables[i]);
		depth = d > depth ? d : depth;
	}
	for (uint32_t k = 0; k <= depth; k++) {
		for (uint32_t i = 0; i < s->ntables; i++) {
			if ((drop ? g->ta_b[i] : g->tb_a[i]) >= 0 ||
			    partition_depth(s, &s->tables[i]) != (drop ? depth - k : k))
				continue;
			if (drop)
				gen_stmt_names(g, "DROP TABLE %s", s->tables[i].name);
			else
				pg_create_table(g, &s->tables[i]);
		}
	}
}

static bool matview_made(const struct gen *g, const char *name)
{
	int32_t v = schema_view_at(g->b, name);
	return v >= 0 && g->view_make[v];
}

static void pg_generate(struct gen *g)
{
	const struct schema *a = g->a, *b = g->b;
	plan_fks(g);
	pg_plan_policies(g);
	pg_extensions_create(g);
	pg_policies_drop(g);
	drop_triggers(g);
	emit_views(g, a, g->view_drop, true);
	for (uint32_t i = 0; i < a->ntables; i++)
		for (uint32_t k = 0; k < a->tables[i].ncons; k++)
			if (g->fk_drop[i][k])
				gen_stmt_names(g, "ALTER TABLE %s DROP CONSTRAINT %s", a->tables[i].name,
				               a->tables[i].cons[k].name);
	for (uint32_t x = 0; x < a->nindexes; x++) {
		const struct schema_index *xa = &a->indexes[x];
		int32_t t = a_table(g, xa->table), v = schema_view_at(a, xa->table);
		/* one of a table or materialized view that goes, goes with it */
		bool stays = t >= 0 ? g->ta_b[t] >= 0 : v >= 0 && !g->view_drop[v];
		if (stays && index_goes(g, xa))
			gen_stmt_names(g, "DROP INDEX %s", xa->name);
	}
	for (uint32_t i = 0; i < a->ntables; i++) {
		if (g->ta_b[i] < 0)
			continue;
		for (uint32_t k = 0; k < a->tables[i].ncons; k++)
			if (a->tables[i].cons[k].kind != SCHEMA_FOREIGN && con_changed(g, i, k))
				gen_stmt_names(g, "ALTER TABLE %s DROP CONSTRAINT %s", a->tables[i].name,
				               a->tables[i].cons[k].name);
		/* a default that names a function made again or a type rebuilt
		 * goes before them; the column takes its default again below */
		for (uint32_t k = 0; k < a->tables[i].ncols; k++)
			if (a->tables[i].cols[k].dflt && gen_mentions_rebuilt(g, a->tables[i].cols[k].dflt))
				pg_alter_col(g, a->tables[i].name, a->tables[i].cols[k].name, "DROP DEFAULT");
	}
	pg_functions_drop(g, true);
	pg_sequences_disown(g);
	for (uint32_t i = 0; i < a->ntables; i++) {
		int32_t j = schema_table_at(b, a->tables[i].name);
		if (g->ta_b[i] < 0 && j >= 0)
			gen_review(g, "%s: %s, which ALTER TABLE cannot do: the table is dropped and "
			           "created again, and its rows are lost unless moved first",
			           a->tables[i].name, !a->tables[i].parent != !b->tables[j].parent
			           ? "it becomes a partition or stops being one"
			           : "its partitioning changes");
	}
	table_rename_hint(g);
	pg_tables_in_order(g, true);
	pg_types_prepare(g);
	pg_types_make(g, false);
	pg_sequences_make(g);
	pg_functions_make(g, 0);
	pg_types_make(g, true);
	pg_tables_in_order(g, false);
	for (uint32_t j = 0; j < b->ntables; j++) {
		if (g->tb_a[j] < 0) {
			pg_table_extras(g, NULL, &b->tables[j]);
			continue;
		}
		uint32_t i = (uint32_t)g->tb_a[j];
		const struct schema_table *ta = &a->tables[i], *tb = &b->tables[j];
		for (uint32_t k = 0; k < ta->ncons; k++) {
			int32_t m = g->con_ab[i][k];
			if (m >= 0 && !g->fk_drop[i][k] && !con_changed(g, i, k) &&
			    !schema_str_eq(ta->cons[k].name, tb->cons[m].name))
				gen_stmt_names(g, "ALTER TABLE %s RENAME CONSTRAINT %s TO %s", tb->name,
				               ta->cons[k].name, tb->cons[m].name);
		}
		rename_hint(g, ta, tb);
		for (uint32_t k = 0; k < tb->ncols; k++) {
			int32_t c = schema_col_at(g->d, ta, tb->cols[k].name);
			if (c < 0)
				pg_add_column(g, tb->name, &tb->cols[k]);
			else if (schema_col_diff(&ta->cols[c], &tb->cols[k]) ||
			         col_retyped(g, &ta->cols[c], &tb->cols[k]) ||
			         (ta->cols[c].dflt && gen_mentions_rebuilt(g, ta->cols[c].dflt)))
				pg_change_column(g, tb->name, &ta->cols[c], &tb->cols[k]);
		}
		for (uint32_t k = 0; k < ta->ncols; k++)
			if (schema_col_at(g->d, tb, ta->cols[k].name) < 0)
				gen_stmt_names(g, "ALTER TABLE %s DROP COLUMN %s", tb->name, ta->cols[k].name);
		pg_table_extras(g, ta, tb);
	}
	pg_types_finish(g, true);
	/* keys before checks, as CREATE TABLE would have them */
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t j = 0; j < b->ntables; j++) {
			if (g->tb_a[j] < 0)
				continue;
			const struct schema_table *tb = &b->tables[j];
			for (uint32_t k = 0; k < tb->ncons; k++) {
				const struct schema_constraint *c = &tb->cons[k];
				int32_t m = g->con_ba[j][k];
				if (c->kind == SCHEMA_FOREIGN || (c->kind == SCHEMA_CHECK) != (pass == 1))
					continue;
				if (m < 0 || con_changed(g, (uint32_t)g->tb_a[j], (uint32_t)m))
					pg_add_con(g, tb->name, c);
			}
		}
	}
	for (uint32_t x = 0; x < b->nindexes; x++) {
		int32_t t = schema_table_at(b, b->indexes[x].table);
		if (t >= 0 && (g->tb_a[t] < 0 || index_comes(g, &b->indexes[x])))
			gen_stmt_text(g, b->indexes[x].sql);
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
	pg_sequences_own(g);
	pg_functions_drop(g, false);
	pg_sequences_drop(g);
	pg_types_finish(g, false);
	pg_functions_make(g, 1);
	emit_views(g, b, g->view_make, false);
	/* the indexes of materialized views made again, or new on them */
	for (uint32_t x = 0; x < b->nindexes; x++) {
		const struct schema_index *xb = &b->indexes[x];
		if (schema_table_at(b, xb->table) < 0 &&
		    (matview_made(g, xb->table) || index_comes(g, xb)))
			gen_stmt_text(g, xb->sql);
	}
	pg_functions_make(g, 2);
	make_triggers(g);
	pg_policies_make(g);
	pg_grants_and_comments(g);
	pg_extensions_drop(g);
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
		gen_review(g, "%s: its CREATE TABLE could not be read to name the new copy", tb->name);
		sb_reset(&sb);
		sb_adds(&sb, tb->sql);
	}
	gen_stmt_end(g, &sb);
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
			gen_review(g, "%s.%s is NOT NULL%s: the copy fails if %s", tb->name, cb->name,
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
		gen_stmt_end(g, &sb);
		free(nn);
	} else {
		gen_review(g, "%s: no column is kept, so no row is copied", tb->name);
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
			gen_stmt_names(g, "DROP TABLE %s", a->tables[i].name);
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
			gen_stmt_names(g, "DROP INDEX %s", a->indexes[x].name);
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
		gen_stmt_names(g, "ALTER TABLE %s RENAME TO %s", nn, tb_of(g, i)->name);
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
			gen_stmt_end(g, &sb);
			sb_free(&sb);
		}
		for (uint32_t k = 0; k < ta->ncols; k++)
			if (schema_col_at(g->d, tb, ta->cols[k].name) < 0)
				gen_stmt_names(g, "ALTER TABLE %s DROP COLUMN %s", tb->name, ta->cols[k].name);
	}
	for (uint32_t j = 0; j < b->ntables; j++)
		if (g->tb_a[j] < 0)
			gen_stmt_text(g, b->tables[j].sql);
	for (uint32_t x = 0; x < b->nindexes; x++) {
		int32_t t = schema_table_at(b, b->indexes[x].table);
		if (t < 0)
			continue;
		int32_t i = g->tb_a[t];
		if (i < 0 || g->rebuild[i] || index_comes(g, &b->indexes[x]))
			gen_stmt_text(g, b->indexes[x].sql);
	}
	emit_views(g, b, g->view_make, false);
	make_triggers(g);
}

/* Whether the script uses a value its ALTER TYPE … ADD VALUE adds: a
 * column cast to the type, or the value written anywhere (a default, a
 * check, a view, a function's body). */
static bool uses_added(const struct gen *g)
{
	if (g->uses_added)
		return true;
	for (const char *p = sb_str(&g->added); *p;) {
		const char *e = strchr(p, '\n');
		char *lit = xstrndup(p, (size_t)(e - p));
		bool hit = strstr(sb_str(&g->out), lit) != NULL;
		free(lit);
		if (hit)
			return true;
		p = e + 1;
	}
	return false;
}

/* The statements from `from` to `to`. ALTER TYPE … ADD VALUE goes first;
 * where the rest uses a value it adds, or the server is older than 12
 * (which refuses it in a transaction at all), it goes to *outside when
 * split, and otherwise the type is rebuilt instead. */
static char *generate(const struct schema *from, const struct schema *to, int version,
                      bool split, char **outside)
{
	bool *force = NULL;
	for (;;) {
		struct gen g = {0};
		g.a = from;
		g.b = to;
		g.d = from->dialect;
		g.server_version = version;
		g.ty_force = force;
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
		if (g.d == SQL_POSTGRES)
			pg_plan_objects(&g);
		plan_tables(&g);
		plan_dependents(&g);
		if (g.d == SQL_POSTGRES)
			pg_generate(&g);
		else
			sqlite_generate(&g);
		bool adds = g.outside.len > 0;
		bool apart = adds && ((version && version < 120000) || uses_added(&g));
		bool again = apart && !split;
		char *result = NULL;
		if (again) {
			free(force);
			force = xcalloc(from->ntypes + 1, sizeof *force);
			for (uint32_t i = 0; i < from->ntypes; i++)
				force[i] = g.ty_adds[i];
		} else if (apart) {
			*outside = sb_detach(&g.outside);
			result = sb_detach(&g.out);
		} else {
			sb_adds(&g.outside, sb_str(&g.out));
			result = sb_detach(&g.outside);
		}
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
		pg_free_plan(&g);
		sb_free(&g.out);
		sb_free(&g.outside);
		sb_free(&g.added);
		if (!again) {
			free(force);
			return result;
		}
	}
}

char *schema_sql(const struct schema *from, const struct schema *to)
{
	return generate(from, to, 0, false, NULL);
}

/* Statements to run outside a transaction as one: a DO block, so that
 * they are all or nothing. */
static char *atomic(char *sql)
{
	struct sql_stmt *stmts = NULL;
	uint32_t n = 0;
	char *err = NULL;
	if (sqllex_split(sql, strlen(sql), SQL_POSTGRES, 1, &stmts, &n, &err) != RT_OK || n < 2) {
		free(err);
		free(stmts);
		return sql;
	}
	free(stmts);
	char *out = xasprintf("-- outside a transaction, one statement is all or nothing\n"
	                      "DO $retort$\nBEGIN\n%sEND\n$retort$;\n", sql);
	free(sql);
	return out;
}

void schema_migration(const struct schema *from, const struct schema *to, int server_version,
                      struct schema_migration *m)
{
	memset(m, 0, sizeof *m);
	m->upgrade = generate(from, to, server_version, from->dialect == SQL_POSTGRES,
	                      &m->pre_upgrade);
	if (!m->pre_upgrade) {
		m->downgrade = generate(to, from, server_version, false, NULL);
		return;
	}
	/* the step outside the transaction leaves the values added: the
	 * downgrades go back there, then from there */
	struct arena keep;
	arena_init(&keep);
	struct schema *mid = pg_enum_mid(from, to, &keep);
	m->downgrade = generate(to, mid, server_version, false, NULL);
	m->pre_downgrade = atomic(generate(mid, from, server_version, false, NULL));
	arena_free(&keep);
}

void schema_migration_free(struct schema_migration *m)
{
	free(m->upgrade);
	free(m->downgrade);
	free(m->pre_upgrade);
	free(m->pre_downgrade);
	memset(m, 0, sizeof *m);
}
