/* lint.c: the rules of lint.h, applied statement by statement.
 *
 * A section is split by the lexer (sqllex_split), each statement is lexed
 * again into a token array without comments, and the rules read that
 * array: keywords are WORD tokens only, so `'DROP TABLE x'` or
 * `"drop"` never match. Every index into the array goes through tok(),
 * which answers an EOF token past the end, so no input can read out of
 * bounds.
 *
 * The schema model is a struct schema (schema.h) of what the scripts
 * made: tables, their columns with their types, indexes. Beside it lint
 * keeps what only it needs of a column: its type's family and size, and
 * how many indexes and keys use it. A downgrade is linted against the
 * state after its upgrade; its own changes to the model are journalled
 * and undone afterwards. */
#include "lint.h"
#include "ddl.h"
#include "lint_forms.h"
#include "schema.h"
#include "sqltoks.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct lint_rule_info lint_rules[LINT_NRULES] = {
#define LINT_X(name, id, sev, dialects, loss, reason, fix) \
	{id, sev, dialects, (loss) == LINT_LOSS, reason, fix},
	LINT_RULE_LIST(LINT_X)
#undef LINT_X
};

int lint_rule_find(const char *id)
{
	for (int i = 0; i < LINT_NRULES; i++)
		if (strcmp(lint_rules[i].id, id) == 0)
			return i;
	return -1;
}

static const char *const severity_names[] = {"info", "warning", "error"};

const char *lint_severity_name(enum lint_severity s)
{
	return (unsigned)s < RT_ARRAY_LEN(severity_names) ? severity_names[s] : "?";
}

bool lint_severity_parse(const char *s, enum lint_severity *out)
{
	for (unsigned i = 0; i < RT_ARRAY_LEN(severity_names); i++)
		if (strcmp(s, severity_names[i]) == 0) {
			*out = (enum lint_severity)i;
			return true;
		}
	return false;
}

const char *lint_dialects_name(unsigned dialects)
{
	switch (dialects & LINT_ANY) {
	case LINT_SQLITE:
		return "sqlite";
	case LINT_PG:
		return "postgresql";
	default:
		return "any";
	}
}

void lint_findings_init(struct lint_findings *f)
{
	memset(f, 0, sizeof(*f));
	arena_init(&f->arena);
}

void lint_findings_free(struct lint_findings *f)
{
	free(f->v);
	arena_free(&f->arena);
	memset(f, 0, sizeof(*f));
}

/* ---- types ---- */

enum type_family { TF_UNKNOWN, TF_TEXT, TF_INT, TF_NUMERIC, TF_FLOAT, TF_DATE,
                   TF_TIMESTAMP, TF_OTHER };

/* A type as a statement writes it: its family, size and scale (as struct
 * lcol below has them) and its text, one line of at most 47 bytes. */
struct ltype {
	enum type_family fam;
	long size, scale;
	char text[48];
};

/* ---- the schema model ----
 *
 * The tables, columns and indexes the scripts made are a struct schema
 * (schema.h): a column's name and its type as written, an index's name,
 * table and columns; names as lint keys them (quotes dropped, bare words
 * in lower case). Beside it, what only lint knows: each column's type
 * family and size, the indexes, keys and constraints that use it (pins),
 * whether a valid CHECK (col IS NOT NULL) exists, and whether it exists
 * at all (a dropped column keeps its place, so that the maps and the undo
 * journal point at places, not at names). */

/* A column of the model, model->tables[t].cols[c]; lint names columns by
 * an id, their order of creation. */
struct colref {
	uint32_t t, c;
};

/* What lint knows of a column beyond the model. size: characters
 * (TF_TEXT), bytes (TF_INT, TF_FLOAT) or precision (TF_NUMERIC), -1 when
 * unbounded; scale for TF_NUMERIC. */
struct lcol {
	enum type_family fam;
	long size, scale;
	uint32_t pins;             /* indexes, keys and constraints that use it */
	/* A valid CHECK (col IS NOT NULL) exists: SET NOT NULL skips its scan
	 * (PostgreSQL 12+). */
	bool not_null_checked;
	bool alive;
};

/* What lint knows of an index beyond the model: the columns it pins (ids). */
struct lidx {
	uint32_t *cols;            /* lint's arena */
	uint32_t ncols;
	bool alive;
};

/* A change to undo: a column's or an index's state before it. */
struct undo {
	bool is_idx;
	uint32_t at;
	struct schema_column col;
	struct lcol lc;
	struct schema_index idx;
	struct lidx lx;
};

struct lint {
	enum sql_dialect dialect;
	struct arena arena;        /* the maps' keys, the indexes' pins */
	struct schema *model;
	struct strmap tablemap;    /* table → model->tables index */
	uint32_t **tcols;          /* per model table: its columns' ids, in order */
	uint32_t captables;
	struct strmap colmap;      /* "table\x1f" "column" → column id */
	struct colref *ref;        /* per column id: where it is in the model */
	struct lcol *lc;           /* per column id */
	uint32_t ncols, capcols;
	struct strmap idxmap;      /* index name → model->indexes index */
	struct lidx *lx;           /* per model index */
	uint32_t capidx;
	struct strmap nnmap;       /* "table\x1f" "constraint" of a CHECK (col IS
	                              NOT NULL) → column id */
	bool journal;              /* record changes in undo (a downgrade) */
	struct undo *undo;
	uint32_t nundo, capundo;
	enum lint_direction direction;
	struct ddl_table ddl;      /* the last column definitions read */
};

struct lint *lint_new(enum sql_dialect dialect)
{
	struct lint *l = xcalloc(1, sizeof(*l));
	l->dialect = dialect;
	arena_init(&l->arena);
	l->model = schema_new(dialect);
	strmap_init(&l->colmap, 64);
	strmap_init(&l->tablemap, 64);
	strmap_init(&l->idxmap, 16);
	strmap_init(&l->nnmap, 16);
	return l;
}

void lint_set_direction(struct lint *l, enum lint_direction d)
{
	l->direction = d;
}

bool lint_direction_parse(const char *s, enum lint_direction *out)
{
	if (strcmp(s, "up") == 0 || strcmp(s, "upgrade") == 0)
		*out = LINT_UP;
	else if (strcmp(s, "down") == 0 || strcmp(s, "downgrade") == 0)
		*out = LINT_DOWN;
	else if (strcmp(s, "both") == 0)
		*out = LINT_BOTH;
	else
		return false;
	return true;
}
void lint_free(struct lint *l)
{
	if (!l)
		return;
	strmap_free(&l->colmap);
	strmap_free(&l->tablemap);
	strmap_free(&l->idxmap);
	strmap_free(&l->nnmap);
	for (uint32_t t = 0; t < l->model->ntables; t++)
		free(l->tcols[t]);
	free(l->tcols);
	schema_free(l->model);
	free(l->ref);
	free(l->lc);
	free(l->lx);
	free(l->undo);
	ddl_table_free(&l->ddl);
	arena_free(&l->arena);
	free(l);
}

static struct schema_column *mcol(const struct lint *l, uint32_t id)
{
	return &l->model->tables[l->ref[id].t].cols[l->ref[id].c];
}

static void save_undo(struct lint *l, bool is_idx, uint32_t at)
{
	if (!l->journal)
		return;
	if (l->nundo == l->capundo) {
		l->capundo = l->capundo ? 2 * l->capundo : 16;
		l->undo = xrealloc(l->undo, l->capundo * sizeof(*l->undo));
	}
	struct undo *u = &l->undo[l->nundo++];
	memset(u, 0, sizeof(*u));
	u->is_idx = is_idx;
	u->at = at;
	if (is_idx) {
		u->idx = l->model->indexes[at];
		u->lx = l->lx[at];
	} else {
		u->col = *mcol(l, at);
		u->lc = l->lc[at];
	}
}

static void undo_all(struct lint *l)
{
	while (l->nundo > 0) {
		struct undo *u = &l->undo[--l->nundo];
		if (u->is_idx) {
			l->model->indexes[u->at] = u->idx;
			l->lx[u->at] = u->lx;
		} else {
			*mcol(l, u->at) = u->col;
			l->lc[u->at] = u->lc;
		}
	}
}

static char *col_key(struct arena *a, const char *table, const char *col)
{
	size_t nt = strlen(table), nc = strlen(col);
	char *k = arena_alloc(a, nt + nc + 2);
	memcpy(k, table, nt);
	k[nt] = '\x1f';
	memcpy(k + nt + 1, col, nc + 1);
	return k;
}

/* The model's table, or UINT32_MAX when it has none and create is false. */
static uint32_t table_at(struct lint *l, const char *table, bool create)
{
	uint32_t t;
	if (strmap_get(&l->tablemap, table, &t))
		return t;
	if (!create)
		return UINT32_MAX;
	t = l->model->ntables;
	schema_add_table(l->model, table);
	if (l->model->tables_cap > l->captables) {
		l->captables = l->model->tables_cap;
		l->tcols = xrealloc(l->tcols, l->captables * sizeof(*l->tcols));
	}
	l->tcols[t] = NULL;
	strmap_put(&l->tablemap, arena_strdup(&l->arena, table), t);
	return t;
}

/* Looks "a<US>b" up in m (keys built by col_key). */
static bool pair_get(const struct strmap *m, const char *a, const char *b, uint32_t *out)
{
	char buf[256];
	size_t na = strlen(a), nb = strlen(b);
	char *k = na + nb + 2 <= sizeof(buf) ? buf : xmalloc(na + nb + 2);
	memcpy(k, a, na);
	k[na] = '\x1f';
	memcpy(k + na + 1, b, nb + 1);
	bool found = strmap_get(m, k, out);
	if (k != buf)
		free(k);
	return found;
}

/* The live column table.col, or UINT32_MAX. */
static uint32_t col_find(struct lint *l, const char *table, const char *col)
{
	uint32_t at;
	return pair_get(&l->colmap, table, col, &at) && l->lc[at].alive ? at : UINT32_MAX;
}

/* Creates (or revives, forgetting what was known) table.col. */
static uint32_t col_add(struct lint *l, const char *table, const char *col)
{
	uint32_t at;
	if (!pair_get(&l->colmap, table, col, &at)) {
		if (l->ncols == l->capcols) {
			l->capcols = l->capcols ? 2 * l->capcols : 64;
			l->ref = xrealloc(l->ref, l->capcols * sizeof(*l->ref));
			l->lc = xrealloc(l->lc, l->capcols * sizeof(*l->lc));
		}
		at = l->ncols++;
		uint32_t t = table_at(l, table, true);
		struct schema_table *st = &l->model->tables[t];
		l->ref[at] = (struct colref){t, st->ncols};
		if ((st->ncols & (st->ncols - 1)) == 0)   /* 0, 1, 2, 4, …: full */
			l->tcols[t] = xrealloc(l->tcols[t], (st->ncols ? 2 * st->ncols : 1) *
			                                    sizeof(*l->tcols[t]));
		l->tcols[t][st->ncols] = at;
		schema_add_column(l->model, st, col, "", false, NULL);
		memset(&l->lc[at], 0, sizeof(l->lc[at]));
		strmap_put(&l->colmap, col_key(&l->arena, table, col), at);
		if (l->journal)
			save_undo(l, false, at); /* undone: back to not alive */
	} else {
		save_undo(l, false, at);
	}
	struct lcol *c = &l->lc[at];
	c->alive = true;
	c->pins = 0;
	c->not_null_checked = false;
	c->fam = TF_UNKNOWN;
	mcol(l, at)->type = "";
	return at;
}

/* The column's type: what lint knows of it, and its text. */
static struct ltype col_type(const struct lint *l, uint32_t at)
{
	struct ltype ty = {l->lc[at].fam, l->lc[at].size, l->lc[at].scale, ""};
	snprintf(ty.text, sizeof(ty.text), "%s", mcol(l, at)->type);
	return ty;
}

static void col_set_type(struct lint *l, uint32_t at, const struct ltype *ty)
{
	save_undo(l, false, at);
	l->lc[at].fam = ty->fam;
	l->lc[at].size = ty->size;
	l->lc[at].scale = ty->scale;
	mcol(l, at)->type = ty->text[0] ? schema_str(l->model, ty->text) : "";
}

static void col_set_checked(struct lint *l, uint32_t at)
{
	save_undo(l, false, at);
	l->lc[at].not_null_checked = true;
}

static void col_kill(struct lint *l, uint32_t at)
{
	save_undo(l, false, at);
	l->lc[at].alive = false;
}

static void col_pin(struct lint *l, uint32_t at, int delta)
{
	save_undo(l, false, at);
	if (delta > 0)
		l->lc[at].pins++;
	else if (l->lc[at].pins > 0)
		l->lc[at].pins--;
}

/* The id of table t's column c. */
static uint32_t col_id(const struct lint *l, uint32_t t, uint32_t c)
{
	return l->tcols[t][c];
}

static void table_kill(struct lint *l, const char *table)
{
	uint32_t t = table_at(l, table, false);
	for (uint32_t c = 0; t != UINT32_MAX && c < l->model->tables[t].ncols; c++) {
		uint32_t at = col_id(l, t, c);
		if (l->lc[at].alive)
			col_kill(l, at);
	}
}

/* Moves a column to a new table or name, keeping what is known of it. */
static void col_move(struct lint *l, uint32_t from, const char *table, const char *name)
{
	struct lcol saved = l->lc[from];
	const char *type = mcol(l, from)->type;
	col_kill(l, from);
	uint32_t to = col_add(l, table, name);
	l->lc[to].fam = saved.fam;
	l->lc[to].size = saved.size;
	l->lc[to].scale = saved.scale;
	l->lc[to].pins = saved.pins;
	l->lc[to].not_null_checked = saved.not_null_checked;
	mcol(l, to)->type = type;
}

static void table_rename(struct lint *l, const char *from, const char *to)
{
	if (strcmp(from, to) == 0)
		return;
	uint32_t t = table_at(l, from, false);
	/* The moves add columns to another table: this one only loses them. */
	for (uint32_t c = 0; t != UINT32_MAX && c < l->model->tables[t].ncols; c++) {
		uint32_t at = col_id(l, t, c);
		if (l->lc[at].alive)
			col_move(l, at, to, l->model->tables[t].cols[c].name);
	}
}

static void index_add(struct lint *l, const char *name, const char *table,
                      const uint32_t *cols, uint32_t n)
{
	uint32_t at;
	struct schema *m = l->model;
	if (!strmap_get(&l->idxmap, name, &at)) {
		at = m->nindexes;
		schema_add_index(m, table, name, false, NULL, NULL, NULL, 0);
		if (m->indexes_cap > l->capidx) {
			l->capidx = m->indexes_cap;
			l->lx = xrealloc(l->lx, l->capidx * sizeof(*l->lx));
		}
		memset(&l->lx[at], 0, sizeof(l->lx[at]));
		strmap_put(&l->idxmap, arena_strdup(&l->arena, name), at);
	}
	save_undo(l, true, at);
	struct schema_index *x = &m->indexes[at];
	x->table = schema_str(m, table);
	x->cols = n ? arena_alloc(&m->arena, n * sizeof(*x->cols)) : NULL;
	for (uint32_t i = 0; i < n; i++)
		x->cols[i] = mcol(l, cols[i])->name;
	x->ncols = n;
	struct lidx *lx = &l->lx[at];
	lx->cols = arena_alloc(&l->arena, (n + 1) * sizeof(*lx->cols));
	memcpy(lx->cols, cols, n * sizeof(*cols));
	lx->ncols = n;
	lx->alive = true;
	for (uint32_t i = 0; i < n; i++)
		col_pin(l, cols[i], +1);
}

/* The table of a live index, or NULL. */
static const char *index_table(const struct lint *l, const char *name)
{
	uint32_t at;
	return strmap_get(&l->idxmap, name, &at) && l->lx[at].alive ? l->model->indexes[at].table
	                                                             : NULL;
}

static void index_drop(struct lint *l, const char *name)
{
	uint32_t at;
	if (!strmap_get(&l->idxmap, name, &at) || !l->lx[at].alive)
		return;
	save_undo(l, true, at);
	l->lx[at].alive = false;
	for (uint32_t i = 0; i < l->lx[at].ncols; i++)
		col_pin(l, l->lx[at].cols[i], -1);
}

/* ---- facts about objects other than columns ---- */

/* A domain with a CHECK or NOT NULL, a partitioned table's default
 * partition (its name kept as the entry's type text), a table with a
 * valid CHECK: kept in the model as columns of a table no SQL name can
 * have, so that a downgrade's changes to them are undone with the rest. */
enum fact { FACT_DOMAIN_CHECK, FACT_DEFAULT_PARTITION, FACT_VALID_CHECK,
            FACT_NOT_VALID_CHECK /* "table<US>constraint" */ };

static const char *fact_table(enum fact f)
{
	static const char *const t[] = {"\x01" "domain-check", "\x01" "default-partition",
		"\x01" "valid-check", "\x01" "not-valid-check"};
	return t[f];
}

static bool fact_get(struct lint *l, enum fact f, const char *name)
{
	return col_find(l, fact_table(f), name) != UINT32_MAX;
}

/* Sets (with a value of at most 47 bytes, or NULL) or clears a fact. */
static void fact_set(struct lint *l, enum fact f, const char *name, bool on,
                     const char *value)
{
	uint32_t at = col_find(l, fact_table(f), name);
	if (!on) {
		if (at != UINT32_MAX)
			col_kill(l, at);
		return;
	}
	if (at == UINT32_MAX)
		at = col_add(l, fact_table(f), name);
	struct ltype ty = col_type(l, at);
	snprintf(ty.text, sizeof(ty.text), "%s", value ? value : "");
	col_set_type(l, at, &ty);
}

/* The default partition of parent, or NULL; valid until the next change. */
static const char *fact_default_partition(struct lint *l, const char *parent)
{
	uint32_t at = col_find(l, fact_table(FACT_DEFAULT_PARTITION), parent);
	return at == UINT32_MAX ? NULL : mcol(l, at)->type;
}

/* A table that goes (dropped, detached) is no longer anyone's default
 * partition, and has no facts of its own. */
static void facts_forget_table(struct lint *l, const char *table)
{
	uint32_t t = table_at(l, fact_table(FACT_DEFAULT_PARTITION), false);
	for (uint32_t c = 0; t != UINT32_MAX && c < l->model->tables[t].ncols; c++) {
		uint32_t at = col_id(l, t, c);
		if (l->lc[at].alive && strcmp(mcol(l, at)->type, table) == 0)
			col_kill(l, at);
	}
	fact_set(l, FACT_DEFAULT_PARTITION, table, false, NULL);
	fact_set(l, FACT_VALID_CHECK, table, false, NULL);
}

/* ---- statements as token arrays ---- */

struct stmt {
	const struct sqltok *t;
	uint32_t n;
	uint32_t line;
};

static const struct sqltok *tok(const struct stmt *s, uint32_t i)
{
	return sqltok_at(s->t, s->n, i);
}

static bool kw(const struct stmt *s, uint32_t i, const char *w)
{
	return sqltok_word(tok(s, i), w);
}

static bool punct(const struct stmt *s, uint32_t i, char c)
{
	return sqltok_punct(tok(s, i), c);
}

/* The first i in [from, to) where kw(i, w) at depth, or `to`. */
static uint32_t find_kw(const struct stmt *s, uint32_t from, uint32_t to,
                        uint32_t depth, const char *w)
{
	for (uint32_t i = from; i < to && i < s->n; i++)
		if (s->t[i].depth == depth && kw(s, i, w))
			return i;
	return to;
}

static bool has_kw_pair(const struct stmt *s, uint32_t from, uint32_t to,
                        uint32_t depth, const char *a, const char *b)
{
	for (uint32_t i = from; i + 1 < to && i + 1 < s->n; i++)
		if (s->t[i].depth == depth && kw(s, i, a) && kw(s, i + 1, b))
			return true;
	return false;
}

/* A possibly qualified name: schema.table. */
struct name {
	const char *show;          /* as written */
	const char *key;           /* last part: unquoted, or lowercased */
	uint32_t end;              /* first token after the name */
};

/* ---- one run over one script ---- */

struct names {
	const char **v;
	uint32_t n, cap;
};

static void names_add(struct names *ns, const char *s)
{
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? 2 * ns->cap : 8;
		ns->v = xrealloc(ns->v, ns->cap * sizeof(*ns->v));
	}
	ns->v[ns->n++] = s;
}

static bool names_has(const struct names *ns, const char *s)
{
	for (uint32_t i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i], s) == 0)
			return true;
	return false;
}

enum region { REGION_HEADER, REGION_UPGRADE, REGION_DOWNGRADE };

struct ignore {
	uint32_t line;
	int rule;
	enum region region;
};

struct run {
	struct lint *l;
	const struct lint_text *in;
	bool report;
	bool pg;
	enum script_section section;
	struct lint_findings *out;
	struct arena scratch;      /* names and keys of this script */
	struct names created;      /* tables created earlier in this section */
	/* Constraints added NOT VALID earlier in this section: validating one
	 * in the same transaction scans under the lock the ADD still holds. */
	struct names not_valid_fk, not_valid_check;
	struct names up_tables;    /* tables this script's upgrade creates */
	struct names up_cols;      /* table.column it adds */
	struct ignore *ign;
	uint32_t nign, capign;
	bool in_do;                /* inside a DO block: always a transaction */
	/* drop-index findings of this section and their tables: a DROP TABLE
	 * of that table later in the section takes the same lock anyway, so
	 * they are withdrawn (the usual downgrade: indexes, then the table). */
	struct { uint32_t at; const char *table; } *pend;
	uint32_t npend, cappend;
	struct u32vec withdrawn;   /* indexes into out->v */
	/* SET TimeZone = 'UTC' earlier in the section: timestamp and
	 * timestamptz convert without a rewrite (PostgreSQL 12+). */
	bool utc;
	/* Enum values (their quoted literals) added earlier in the section: a
	 * use in the same transaction fails. */
	struct names new_enum_values;
};

RT_PRINTF(5, 6)
static void finding(struct run *r, enum lint_rule rule, enum lint_severity sev,
                    uint32_t line, const char *fmt, ...)
{
	unsigned mask = r->pg ? LINT_PG : LINT_SQLITE;
	if (!r->report || !(lint_rules[rule].dialects & mask))
		return;
	struct lint_findings *f = r->out;
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 16;
		f->v = xrealloc(f->v, f->cap * sizeof(*f->v));
	}
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	/* one finding, one line: a quoted name may hold a line break */
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	f->v[f->n++] = (struct lint_finding){
		rule, sev, r->section, line, arena_strdup(&f->arena, msg),
		r->in->file, r->in->revision, NULL, 0, NULL, false,
	};
	free(msg);
}

/* What the finding appended last (at index at, when finding appended
 * one) takes with it: its tables, and its column when one goes. */
static void finding_objects(struct run *r, uint32_t at, const struct name *t, uint32_t n,
                            const struct name *column, bool own)
{
	struct lint_findings *f = r->out;
	if (at >= f->n)
		return;
	struct lint_finding *x = &f->v[at];
	x->tables = arena_alloc(&f->arena, (n ? n : 1) * sizeof(*x->tables));
	for (uint32_t k = 0; k < n; k++)
		x->tables[x->ntables++] = arena_strdup(&f->arena, t[k].show);
	x->column = column ? arena_strdup(&f->arena, column->show) : NULL;
	x->own = own;
}

#define FIND(r, rule, line, ...) \
	finding(r, rule, lint_rules[rule].severity, line, __VA_ARGS__)

static char *scratch_strndup(struct run *r, const char *s, size_t n)
{
	return arena_strndup(&r->scratch, s, n);
}

/* The identifier a token names: quotes removed (doubled quotes undone),
 * bare words lowercased as both engines fold them. */
static char *ident_key(struct run *r, const struct sqltok *t)
{
	char *k;
	if (t->type == SQL_TOK_QIDENT && t->len >= 2) {
		k = arena_alloc(&r->scratch, (size_t)t->len + 1);
		sql_unquote(t->s, t->len, k);
		return k;
	}
	k = scratch_strndup(r, t->s, t->len);
	for (char *p = k; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p |= 0x20;
	return k;
}

static bool parse_name(struct run *r, const struct stmt *s, uint32_t i,
                       struct name *out)
{
	if (!sqltok_name(tok(s, i)))
		return false;
	uint32_t last = i;
	while (punct(s, last + 1, '.') && sqltok_name(tok(s, last + 2)))
		last += 2;
	const struct sqltok *a = tok(s, i), *b = tok(s, last);
	out->show = scratch_strndup(r, a->s, (size_t)(b->s + b->len - a->s));
	out->key = ident_key(r, b);
	out->end = last + 1;
	return true;
}

/* Skips IF EXISTS / IF NOT EXISTS at i. */
static uint32_t skip_if_exists(const struct stmt *s, uint32_t i)
{
	if (kw(s, i, "if") && kw(s, i + 1, "exists"))
		return i + 2;
	if (kw(s, i, "if") && kw(s, i + 1, "not") && kw(s, i + 2, "exists"))
		return i + 3;
	return i;
}

static bool in_txn(const struct run *r)
{
	return r->in->transactional || r->in_do;
}

static bool created_here(const struct run *r, const char *table)
{
	return names_has(&r->created, table);
}

/* A downgrade that drops what its own upgrade made: reported, lowered. */
static enum lint_severity undo_severity(const struct run *r, enum lint_rule rule,
                                        bool own)
{
	return r->section == SCRIPT_DOWNGRADE && own ? LINT_INFO
	                                             : lint_rules[rule].severity;
}

static const char *own_note(const struct run *r, bool own)
{
	return r->section == SCRIPT_DOWNGRADE && own
	       ? " (it undoes this script's upgrade; the rows written since are lost)"
	       : "";
}

/* ---- column types ---- */

static long tok_long(const struct sqltok *t)
{
	if (t->type != SQL_TOK_NUMBER)
		return -1;
	long v = 0;
	for (uint32_t k = 0; k < t->len && t->s[k] >= '0' && t->s[k] <= '9'; k++)
		if (v < 100000000)
			v = v * 10 + (t->s[k] - '0');
	return v;
}

static void type_parse(const struct stmt *s, uint32_t from, uint32_t to,
                       struct ltype *ty)
{
	memset(ty, 0, sizeof(*ty));
	if (from >= to || from >= s->n)
		return;
	const struct sqltok *a = tok(s, from), *b = tok(s, (to < s->n ? to : s->n) - 1);
	size_t n = (size_t)(b->s + b->len - a->s);
	if (n >= sizeof(ty->text))
		n = sizeof(ty->text) - 1;
	/* One line of text for messages: runs of blanks become one space. */
	size_t w = 0;
	for (size_t k = 0; k < n; k++) {
		char c = a->s[k];
		bool blank = c == ' ' || c == '\t' || c == '\n' || c == '\r';
		if (blank && (w == 0 || ty->text[w - 1] == ' '))
			continue;
		ty->text[w++] = blank ? ' ' : c;
	}
	ty->text[w] = '\0';

	/* Parameters: the numbers in the first parentheses. */
	long p1 = -1, p2 = -1;
	bool array = false;
	uint32_t open = to;
	for (uint32_t i = from; i < to && i < s->n; i++) {
		if (punct(s, i, '[') || (kw(s, i, "array")))
			array = true;
		if (open == to && punct(s, i, '('))
			open = i;
	}
	if (open < to) {
		p1 = tok_long(tok(s, open + 1));
		if (punct(s, open + 2, ','))
			p2 = tok_long(tok(s, open + 3));
	}
	ty->size = -1;
	ty->scale = 0;
	if (array) {
		ty->fam = TF_OTHER;
		return;
	}
	struct { const char *w; enum type_family fam; long size; } words[] = {
		{"text", TF_TEXT, -1}, {"varchar", TF_TEXT, -2}, {"char", TF_TEXT, -3},
		{"character", TF_TEXT, -3}, {"nvarchar", TF_TEXT, -2}, {"nchar", TF_TEXT, -3},
		{"bpchar", TF_TEXT, -3}, {"citext", TF_TEXT, -1}, {"clob", TF_TEXT, -1},
		{"string", TF_TEXT, -1},
		{"tinyint", TF_INT, 1}, {"smallint", TF_INT, 2}, {"int2", TF_INT, 2},
		{"smallserial", TF_INT, 2}, {"serial2", TF_INT, 2},
		{"mediumint", TF_INT, 3}, {"integer", TF_INT, 4}, {"int", TF_INT, 4},
		{"int4", TF_INT, 4}, {"serial", TF_INT, 4}, {"serial4", TF_INT, 4},
		{"bigint", TF_INT, 8}, {"int8", TF_INT, 8}, {"bigserial", TF_INT, 8},
		{"serial8", TF_INT, 8},
		{"numeric", TF_NUMERIC, -2}, {"decimal", TF_NUMERIC, -2},
		{"real", TF_FLOAT, 4}, {"float4", TF_FLOAT, 4}, {"float8", TF_FLOAT, 8},
		{"double", TF_FLOAT, 8}, {"float", TF_FLOAT, -4},
		{"date", TF_DATE, -1}, {"timestamp", TF_TIMESTAMP, -1},
		{"timestamptz", TF_TIMESTAMP, -1}, {"datetime", TF_TIMESTAMP, -1},
	};
	ty->fam = TF_OTHER;
	for (size_t k = 0; k < RT_ARRAY_LEN(words); k++) {
		if (!kw(s, from, words[k].w))
			continue;
		ty->fam = words[k].fam;
		ty->size = words[k].size;
		break;
	}
	bool varying = kw(s, from + 1, "varying");
	switch (ty->size) {
	case -2: /* varchar(n), numeric(p, s): unbounded without n */
		ty->size = p1;
		ty->scale = p2 > 0 ? p2 : 0;
		break;
	case -3: /* char without (n) is char(1); character varying is varchar */
		ty->size = p1 >= 0 ? p1 : (varying ? -1 : 1);
		break;
	case -4: /* float(p): up to 24 bits of precision is a real */
		ty->size = p1 >= 0 && p1 <= 24 ? 4 : 8;
		break;
	}
}

enum type_verdict { TV_SAME, TV_WIDEN, TV_REWRITE, TV_CHANGE, TV_NARROW };

/* How changing old to new treats the values, and whether PostgreSQL
 * rewrites the table (it does not for a longer varchar, varchar to text,
 * or a numeric with more precision and the same scale). */
static enum type_verdict type_compare(const struct ltype *o, const struct ltype *n)
{
	if (o->fam == TF_UNKNOWN || n->fam == TF_UNKNOWN)
		return TV_CHANGE;
	if (o->fam == n->fam && o->fam != TF_OTHER) {
		switch (o->fam) {
		case TF_TEXT:
			if (n->size >= 0 && (o->size < 0 || n->size < o->size))
				return TV_NARROW;
			return n->size == o->size ? TV_SAME : TV_WIDEN;
		case TF_NUMERIC:
			if (n->size < 0)
				return o->size < 0 ? TV_SAME : TV_WIDEN;
			if (o->size < 0 || n->scale < o->scale ||
			    n->size - n->scale < o->size - o->scale)
				return TV_NARROW;
			if (n->size == o->size && n->scale == o->scale)
				return TV_SAME;
			return n->scale == o->scale ? TV_WIDEN : TV_REWRITE;
		case TF_INT:
		case TF_FLOAT:
			if (n->size < o->size)
				return TV_NARROW;
			return n->size == o->size ? TV_SAME : TV_REWRITE;
		default:
			return strcmp(o->text, n->text) == 0 ? TV_SAME : TV_CHANGE;
		}
	}
	if (o->fam == TF_TIMESTAMP && n->fam == TF_DATE)
		return TV_NARROW;
	if (n->fam == TF_TEXT && n->size >= 0)
		return TV_NARROW;   /* any value's text form may be too long */
	if (n->fam == TF_INT && (o->fam == TF_NUMERIC || o->fam == TF_FLOAT))
		return TV_NARROW;   /* fractions are rounded away */
	if (o->fam == TF_OTHER && n->fam == TF_OTHER &&
	    strcmp(o->text, n->text) == 0)
		return TV_SAME;
	return TV_CHANGE;
}

/* ---- column definitions (CREATE TABLE, ADD COLUMN) ---- */

struct coldef {
	struct name col;
	struct ltype type;
	bool not_null, primary, unique, references, check;
	bool has_default, default_null, default_nonconst;
	bool generated, stored, identity, serial;
	const char *volatile_fn;   /* a volatile function the default calls */
};

/* Functions whose value differs per row: a default calling one cannot be
 * stored once in the catalog, so PostgreSQL rewrites the table. now() and
 * CURRENT_TIMESTAMP are stable, evaluated once: no rewrite. */
static const char *volatile_call(const struct stmt *s, uint32_t i)
{
	static const char *const fns[] = {"random", "gen_random_uuid", "uuid_generate_v1",
		"uuid_generate_v1mc", "uuid_generate_v4", "clock_timestamp", "timeofday",
		"nextval", "setseed", "txid_current", "gen_random_bytes", "uuidv7",
		"uuidv4"};
	if (!punct(s, i + 1, '('))
		return NULL;
	for (size_t k = 0; k < RT_ARRAY_LEN(fns); k++)
		if (kw(s, i, fns[k]))
			return fns[k];
	return NULL;
}

/* What lint makes of a column definition as ddl.h reads it. */
static bool coldef_of(struct run *r, const struct stmt *s, const struct ddl_column *c,
                      struct coldef *d)
{
	const struct ddl_table *dt = &r->l->ddl;
	memset(d, 0, sizeof(*d));
	if (!parse_name(r, s, c->at, &d->col) || d->col.end > c->end)
		return false;
	uint32_t t0 = c->type;
	type_parse(s, t0, c->type_end, &d->type);
	d->serial = d->type.fam == TF_INT && (kw(s, t0, "serial") || kw(s, t0, "bigserial") ||
	            kw(s, t0, "smallserial") || kw(s, t0, "serial2") ||
	            kw(s, t0, "serial4") || kw(s, t0, "serial8"));
	d->not_null = c->not_null;
	d->primary = ddl_column_has(dt, c, SCHEMA_PRIMARY);
	d->unique = ddl_column_has(dt, c, SCHEMA_UNIQUE);
	d->references = ddl_column_has(dt, c, SCHEMA_FOREIGN);
	d->check = ddl_column_has(dt, c, SCHEMA_CHECK);
	d->generated = c->generated;
	d->stored = c->stored;
	d->identity = c->identity;
	if (c->dflt != DDL_NONE) {
		uint32_t e = c->dflt_end;
		d->has_default = true;
		d->default_null = e == c->dflt + 1 && kw(s, c->dflt, "null");
		/* SQLite refuses these on ADD COLUMN once the table has rows */
		d->default_nonconst = punct(s, c->dflt, '(') ||
			kw(s, c->dflt, "current_time") || kw(s, c->dflt, "current_date") ||
			kw(s, c->dflt, "current_timestamp");
		for (uint32_t k = c->dflt; k < e && !d->volatile_fn; k++)
			d->volatile_fn = volatile_call(s, k);
	}
	return true;
}

/* Remembers a column definition in the model. */
static void learn_coldef(struct run *r, const char *table, const struct coldef *d)
{
	uint32_t at = col_add(r->l, table, d->col.key);
	col_set_type(r->l, at, &d->type);
	if (d->primary || d->unique || d->references)
		r->l->lc[at].pins++;
}

/* Pins (permanently: constraints are not tracked by name) every column of
 * table named at mindepth or deeper in tokens [a, b); with out, collects
 * them instead. */
static void pin_named_columns(struct run *r, const struct stmt *s, uint32_t a,
                              uint32_t b, uint32_t mindepth, const char *table,
                              uint32_t *out, uint32_t *nout, uint32_t max)
{
	for (uint32_t i = a; i < b && i < s->n; i++) {
		if (tok(s, i)->depth < mindepth || !sqltok_name(tok(s, i)))
			continue;
		uint32_t at = col_find(r->l, table, ident_key(r, tok(s, i)));
		if (at == UINT32_MAX)
			continue;
		if (out) {
			if (*nout < max)
				out[(*nout)++] = at;
		} else {
			col_pin(r->l, at, +1);
		}
	}
}

/* ---- CREATE ---- */

static void create_table(struct run *r, const struct stmt *s, uint32_t i)
{
	struct name t;
	i = skip_if_exists(s, i);
	if (!parse_name(r, s, i, &t))
		return;
	names_add(&r->created, t.key);
	if (r->section == SCRIPT_UPGRADE)
		names_add(&r->up_tables, t.key);
	table_kill(r->l, t.key);
	if (!punct(s, t.end, '('))
		return;   /* AS SELECT, OF type, PARTITION OF: columns unknown */
	struct ddl_table *dt = &r->l->ddl;
	ddl_table_read(dt, s->t, s->n, t.end, DDL_SCRIPT);
	uint32_t depth = tok(s, t.end)->depth + 1;
	for (uint32_t k = 0; k < dt->nelems; k++) {
		const struct ddl_elem *e = &dt->elems[k];
		struct coldef d;
		if (e->kind == DDL_CONSTRAINT)
			pin_named_columns(r, s, e->at, e->end, depth + 1, t.key, NULL, NULL, 0);
		else if (e->kind == DDL_COLUMN && coldef_of(r, s, &dt->cols[e->index], &d))
			learn_coldef(r, t.key, &d);
	}
}

static void concurrently_check(struct run *r, const struct stmt *s, bool concurrently,
                               const char *what)
{
	if (concurrently && in_txn(r))
		FIND(r, LINT_CONCURRENTLY_TXN, s->line,
		     "%s CONCURRENTLY in a script that runs in a transaction: it fails "
		     "with \"cannot run inside a transaction block\"", what);
}

/* i: just after INDEX */
static void create_index(struct run *r, const struct stmt *s, uint32_t i, bool unique)
{
	bool conc = kw(s, i, "concurrently");
	if (conc)
		i++;
	i = skip_if_exists(s, i);
	uint32_t on = find_kw(s, i, s->n, 0, "on");
	struct name idxname = {NULL, NULL, 0}, t;
	bool named = on > i && parse_name(r, s, i, &idxname);
	uint32_t j = on + 1;
	if (kw(s, j, "only"))
		j++;
	concurrently_check(r, s, conc, "CREATE INDEX");
	if (!parse_name(r, s, j, &t))
		return;
	if (!conc && !created_here(r, t.key))
		FIND(r, LINT_CREATE_INDEX, s->line,
		     "CREATE %sINDEX%s%s on %s blocks writes to %s while it builds",
		     unique ? "UNIQUE " : "", named ? " " : "", named ? idxname.show : "",
		     t.show, t.show);
	uint32_t cols[16], ncols = 0;
	uint32_t open = t.end;
	while (open < s->n && !punct(s, open, '('))
		open++;
	uint32_t close = open + 1;
	while (close < s->n && tok(s, close)->depth > tok(s, open)->depth)
		close++;
	pin_named_columns(r, s, open + 1, close, tok(s, open)->depth + 1, t.key, cols,
	                  &ncols, RT_ARRAY_LEN(cols));
	if (named)
		index_add(r->l, idxname.key, t.key, cols, ncols);
	else
		for (uint32_t k = 0; k < ncols; k++)
			col_pin(r->l, cols[k], +1);
}

/* ---- DROP ---- */

/* Each name of a comma-separated list at i; returns how many were read. */
static uint32_t name_list(struct run *r, const struct stmt *s, uint32_t i,
                          struct name *out, uint32_t max)
{
	uint32_t n = 0;
	while (n < max && parse_name(r, s, i, &out[n])) {
		i = out[n++].end;
		if (!punct(s, i, ','))
			break;
		i++;
	}
	return n;
}

static void drop_tables(struct run *r, const struct stmt *s, uint32_t i)
{
	struct name t[32];
	uint32_t n = name_list(r, s, skip_if_exists(s, i), t, RT_ARRAY_LEN(t));
	struct strbuf shown = STRBUF_INIT;
	bool all_own = true;
	uint32_t listed = 0;
	struct name gone[32];
	for (uint32_t k = 0; k < n; k++) {
		for (uint32_t p = 0; p < r->npend; p++)
			if (strcmp(r->pend[p].table, t[k].key) == 0)
				u32vec_push(&r->withdrawn, r->pend[p].at);
		table_kill(r->l, t[k].key);
		if (created_here(r, t[k].key))
			continue;   /* a work table of this section */
		all_own = all_own && names_has(&r->up_tables, t[k].key);
		gone[listed] = t[k];
		sb_addf(&shown, "%s%s", listed++ ? ", " : "", t[k].show);
	}
	uint32_t at = r->out->n;
	if (listed > 0)
		finding(r, LINT_DROP_TABLE, undo_severity(r, LINT_DROP_TABLE, all_own), s->line,
		        "DROP TABLE %s deletes the table%s and every row%s",
		        sb_str(&shown), listed > 1 ? "s" : "", own_note(r, all_own));
	finding_objects(r, at, gone, listed, NULL, all_own);
	sb_free(&shown);
}

static void drop_index(struct run *r, const struct stmt *s, uint32_t i)
{
	bool conc = kw(s, i, "concurrently");
	if (conc)
		i++;
	struct name x[32];
	uint32_t n = name_list(r, s, skip_if_exists(s, i), x, RT_ARRAY_LEN(x));
	concurrently_check(r, s, conc, "DROP INDEX");
	uint32_t before = r->out->n;
	if (!conc && n > 0)
		FIND(r, LINT_DROP_INDEX, s->line,
		     "DROP INDEX %s takes an ACCESS EXCLUSIVE lock on its table", x[0].show);
	const char *table = n == 1 ? index_table(r->l, x[0].key) : NULL;
	if (r->out->n > before && table) {
		if (r->npend == r->cappend) {
			r->cappend = r->cappend ? 2 * r->cappend : 8;
			r->pend = xrealloc(r->pend, r->cappend * sizeof(*r->pend));
		}
		r->pend[r->npend].at = before;
		r->pend[r->npend++].table = scratch_strndup(r, table, strlen(table));
	}
	for (uint32_t k = 0; k < n; k++)
		index_drop(r->l, x[k].key);
}

static void drop(struct run *r, const struct stmt *s)
{
	if (kw(s, 1, "table")) {
		drop_tables(r, s, 2);
	} else if (kw(s, 1, "index")) {
		drop_index(r, s, 2);
	} else if (kw(s, 1, "schema")) {
		struct name n;
		if (parse_name(r, s, skip_if_exists(s, 2), &n))
			FIND(r, LINT_DROP_SCHEMA, s->line,
			     "DROP SCHEMA %s deletes the schema%s", n.show,
			     find_kw(s, 2, s->n, 0, "cascade") < s->n
			     ? " and every table, view and function in it" : "");
	} else if (kw(s, 1, "database")) {
		struct name n;
		if (parse_name(r, s, skip_if_exists(s, 2), &n))
			FIND(r, LINT_DROP_DATABASE, s->line, "DROP DATABASE %s deletes the database",
			     n.show);
		if (in_txn(r))
			FIND(r, LINT_NEEDS_NO_TXN, s->line,
			     "DROP DATABASE cannot run inside a transaction");
	} else if (kw(s, 1, "tablespace") && r->pg && in_txn(r)) {
		FIND(r, LINT_NEEDS_NO_TXN, s->line,
		     "DROP TABLESPACE cannot run inside a transaction");
	}
}

/* ---- ALTER TABLE ---- */

struct alter {
	struct name table;
	bool view;                 /* ALTER VIEW */
	bool is_new;               /* created earlier in this section */
};

/* ---- the lock table (lint_forms.h) ---- */

static bool elem_word(const struct stmt *s, uint32_t i, const char *e, size_t n)
{
	while (n > 0) {
		size_t k = 0;
		while (k < n && e[k] != '|')
			k++;
		char w[32];
		if (k < sizeof(w)) {
			memcpy(w, e, k);
			w[k] = '\0';
			if (kw(s, i, w))
				return true;
		}
		e += k;
		n -= k;
		if (n > 0) {
			e++;
			n--;
		}
	}
	return false;
}

/* Matches the pattern p (up to ';' or its end; the syntax of
 * LINT_FORM_LIST) against tokens [i, end); [from, end) is the whole range
 * `!w` looks through. The first name `_` matches goes to *target. */
static bool pat_match(struct run *r, const struct stmt *s, uint32_t i, uint32_t from,
                      uint32_t end, const char *p, struct name *target, bool *have)
{
	while (*p == ' ')
		p++;
	if (!*p || *p == ';')
		return true;
	const char *e = p;
	while (*p && *p != ' ' && *p != ';')
		p++;
	size_t n = (size_t)(p - e);
	if (n == 1 && *e == '*') {
		for (uint32_t j = i; j <= end; j++)
			if (pat_match(r, s, j, from, end, p, target, have))
				return true;
		return false;
	}
	if (n == 1 && *e == '$')
		return i >= end && pat_match(r, s, i, from, end, p, target, have);
	if (*e == '!') {
		for (uint32_t j = from; j < end; j++)
			if (elem_word(s, j, e + 1, n - 1))
				return false;
		return pat_match(r, s, i, from, end, p, target, have);
	}
	if (n == 1 && *e == '_') {
		struct name nm;
		if (i >= end || !parse_name(r, s, i, &nm) || nm.end > end)
			return false;
		bool had = *have;
		struct name saved = *target;
		if (!had) {
			*target = nm;
			*have = true;
		}
		if (pat_match(r, s, nm.end, from, end, p, target, have))
			return true;
		*target = saved;
		*have = had;
		return false;
	}
	bool opt = e[n - 1] == '?';
	size_t wn = opt ? n - 1 : n;
	if (i < end && elem_word(s, i, e, wn) &&
	    pat_match(r, s, i + 1, from, end, p, target, have))
		return true;
	return opt && pat_match(r, s, i, from, end, p, target, have);
}

/* A finding for a form of the lock table: what it does, and its safe
 * alternative. obj: the object it acts on, or NULL. */
static void form_finding(struct run *r, const struct stmt *s, enum lint_form f,
                         const char *obj)
{
	const struct lint_form_info *fi = &lint_forms[f];
	char what[160];
	switch (fi->effect) {
	case EFFECT_REWRITE:
		snprintf(what, sizeof(what), "writes a new copy under an ACCESS EXCLUSIVE "
		         "lock: reads and writes wait until it is done");
		break;
	case EFFECT_SCAN:
	case EFFECT_BUILD:
		if (fi->lock == LOCK_ACCESS_EXCLUSIVE)
			snprintf(what, sizeof(what), "reads every row under an ACCESS EXCLUSIVE "
			         "lock: reads and writes wait for the whole scan");
		else
			snprintf(what, sizeof(what), "reads every row under a %s lock: writes "
			         "wait for the whole scan", lint_lock_name(fi->lock));
		break;
	case EFFECT_FAILS:
		snprintf(what, sizeof(what), "cannot run inside a transaction: the migration fails");
		break;
	default:
		snprintf(what, sizeof(what), "takes a %s lock", lint_lock_name(fi->lock));
		break;
	}
	finding(r, (enum lint_rule)fi->rule, lint_rules[fi->rule].severity, s->line,
	        "%s%s%s: %s%s%s%s", fi->form, obj ? " on " : "", obj ? obj : "", what,
	        fi->alternative[0] ? " (instead: " : "", fi->alternative,
	        fi->alternative[0] ? ")" : "");
}

/* The forms whose pattern matches tokens [from, end): a statement, or
 * with al an action of ALTER TABLE. */
static void forms_match(struct run *r, const struct stmt *s, uint32_t from, uint32_t end,
                        const struct alter *al)
{
	for (int f = 0; f < LINT_NFORMS; f++) {
		const char *p = lint_forms[f].pattern;
		if (!p || (p[0] == '@') != (al != NULL))
			continue;
		for (const char *alt = al ? p + 1 : p; alt; alt = strchr(alt, ';')) {
			if (*alt == ';')
				alt++;
			struct name target = {NULL, NULL, 0};
			bool have = false;
			if (!pat_match(r, s, from, from, end, alt, &target, &have))
				continue;
			if (lint_forms[f].effect == EFFECT_FAILS) {
				if (in_txn(r))
					form_finding(r, s, (enum lint_form)f, NULL);
			} else if (al ? !al->is_new : !(have && created_here(r, target.key))) {
				form_finding(r, s, (enum lint_form)f,
				             al ? al->table.show : have ? target.show : NULL);
			}
			break;
		}
	}
}

/* SET [SESSION | LOCAL] TIME ZONE 'UTC', SET timezone = 'UTC' (or TO). */
static bool sets_utc(const struct stmt *s)
{
	uint32_t i = 1;
	if (!kw(s, 0, "set"))
		return false;
	if (kw(s, i, "session") || kw(s, i, "local"))
		i++;
	if (kw(s, i, "time") && kw(s, i + 1, "zone"))
		i += 2;
	else if (kw(s, i, "timezone") && (punct(s, i + 1, '=') || kw(s, i + 1, "to")))
		i += 2;
	else
		return false;
	const struct sqltok *v = tok(s, i);
	static const char *const utc[] = {"'UTC'", "'utc'", "'Etc/UTC'", "'UTC0'", "'GMT'",
		"'Etc/GMT'", "'Z'", "'Zulu'"};
	for (size_t k = 0; k < RT_ARRAY_LEN(utc); k++)
		if (v->type == SQL_TOK_STRING && v->len == strlen(utc[k]) &&
		    strncmp(v->s, utc[k], v->len) == 0)
			return true;
	return kw(s, i, "utc");
}

/* CREATE DOMAIN, ALTER DOMAIN, DROP DOMAIN: which domains have constraints
 * (ADD COLUMN of one rewrites the table). */
static void domain_stmt(struct run *r, const struct stmt *s)
{
	struct name d;
	if (kw(s, 0, "create") && kw(s, 1, "domain") && parse_name(r, s, 2, &d)) {
		names_add(&r->created, d.key);
		bool constrained = find_kw(s, d.end, s->n, 0, "check") < s->n ||
		                   has_kw_pair(s, d.end, s->n, 0, "not", "null");
		fact_set(r->l, FACT_DOMAIN_CHECK, d.key, constrained, NULL);
	} else if (kw(s, 0, "alter") && kw(s, 1, "domain") && parse_name(r, s, 2, &d)) {
		if (kw(s, d.end, "add") || (kw(s, d.end, "set") && kw(s, d.end + 1, "not")))
			fact_set(r->l, FACT_DOMAIN_CHECK, d.key, true, NULL);
	} else if (kw(s, 0, "drop") && kw(s, 1, "domain")) {
		struct name v[32];
		uint32_t n = name_list(r, s, skip_if_exists(s, 2), v, RT_ARRAY_LEN(v));
		for (uint32_t k = 0; k < n; k++)
			fact_set(r->l, FACT_DOMAIN_CHECK, v[k].key, false, NULL);
	}
}

/* CREATE TABLE x PARTITION OF parent …: a default partition is read to
 * move out nothing that belongs to x, under ACCESS EXCLUSIVE. CREATE
 * TABLE with a CHECK: x has a valid CHECK (ATTACH PARTITION may skip its
 * scan). */
static void create_table_facts(struct run *r, const struct stmt *s)
{
	uint32_t i = 1;
	while (kw(s, i, "global") || kw(s, i, "local") || kw(s, i, "temp") ||
	       kw(s, i, "temporary") || kw(s, i, "unlogged"))
		i++;
	struct name t, parent;
	if (!kw(s, i, "table") || !parse_name(r, s, skip_if_exists(s, i + 1), &t))
		return;
	facts_forget_table(r->l, t.key);
	if (find_kw(s, t.end, s->n, 1, "check") < s->n ||
	    find_kw(s, t.end, s->n, 2, "check") < s->n)
		fact_set(r->l, FACT_VALID_CHECK, t.key, true, NULL);
	if (!kw(s, t.end, "partition") || !kw(s, t.end + 1, "of") ||
	    !parse_name(r, s, t.end + 2, &parent))
		return;
	const char *dflt = fact_default_partition(r->l, parent.key);
	if (find_kw(s, parent.end, s->n, 0, "default") < s->n)
		fact_set(r->l, FACT_DEFAULT_PARTITION, parent.key, true, t.key);
	else if (dflt && !created_here(r, parent.key) && !created_here(r, dflt))
		form_finding(r, s, FORM_CREATE_PARTITION_DEFAULT, parent.show);
}

/* The lock table's rules for a whole statement, before the other rules
 * read it. */
static void lock_table_rules(struct run *r, const struct stmt *s)
{
	if (!r->pg)
		return;
	if (sets_utc(s))
		r->utc = true;
	/* A value ALTER TYPE … ADD VALUE added earlier in this transaction. */
	for (uint32_t i = 0; i < s->n && in_txn(r) && r->new_enum_values.n; i++) {
		const struct sqltok *t = tok(s, i);
		if (t->type != SQL_TOK_STRING)
			continue;
		char *lit = scratch_strndup(r, t->s, t->len);
		if (names_has(&r->new_enum_values, lit)) {
			form_finding(r, s, FORM_ENUM_USE_NEW_VALUE, NULL);
			break;
		}
	}
	struct name ty;
	if (kw(s, 0, "alter") && kw(s, 1, "type") && parse_name(r, s, 2, &ty) &&
	    kw(s, ty.end, "add") && kw(s, ty.end + 1, "value") && in_txn(r)) {
		uint32_t v = skip_if_exists(s, ty.end + 2);
		if (tok(s, v)->type == SQL_TOK_STRING)
			names_add(&r->new_enum_values, scratch_strndup(r, tok(s, v)->s, tok(s, v)->len));
	}
	domain_stmt(r, s);
	if (kw(s, 0, "create"))
		create_table_facts(r, s);
	/* a view made in this section: nobody reads it yet */
	if (kw(s, 0, "create") && kw(s, 1, "materialized") && kw(s, 2, "view") &&
	    parse_name(r, s, skip_if_exists(s, 3), &ty))
		names_add(&r->created, ty.key);
	if (kw(s, 0, "drop") && kw(s, 1, "table")) {
		struct name v[32];
		uint32_t n = name_list(r, s, skip_if_exists(s, 2), v, RT_ARRAY_LEN(v));
		for (uint32_t k = 0; k < n; k++)
			facts_forget_table(r->l, v[k].key);
	}
	forms_match(r, s, 0, s->n, NULL);
}

/* ATTACH PARTITION x: x is read unless a valid CHECK proves the bound
 * (lint only knows that x has a valid CHECK, not what it says), and a
 * default partition is read for rows that belong to x; both under ACCESS
 * EXCLUSIVE. i: after ATTACH PARTITION. */
static void attach_partition(struct run *r, const struct stmt *s, uint32_t i, uint32_t b,
                             const struct alter *al)
{
	struct name x;
	if (!parse_name(r, s, i, &x) || x.end > b)
		return;
	if (find_kw(s, x.end, b, 0, "default") < b) {
		fact_set(r->l, FACT_DEFAULT_PARTITION, al->table.key, true, x.key);
		return;
	}
	const char *dflt = fact_default_partition(r->l, al->table.key);
	bool scans_x = !created_here(r, x.key) && !fact_get(r->l, FACT_VALID_CHECK, x.key);
	bool scans_default = dflt && !al->is_new && !created_here(r, dflt);
	if (scans_x || scans_default)
		form_finding(r, s, FORM_ATTACH_PARTITION, al->table.show);
}

/* The lock table's rules for one action of ALTER TABLE, tokens [a, b). */
static void lock_table_action(struct run *r, const struct stmt *s, uint32_t a, uint32_t b,
                              const struct alter *al)
{
	if (!r->pg)
		return;
	if (kw(s, a, "attach") && kw(s, a + 1, "partition")) {
		attach_partition(r, s, a + 2, b, al);
	} else if (kw(s, a, "detach") && kw(s, a + 1, "partition")) {
		struct name x;
		const char *dflt = fact_default_partition(r->l, al->table.key);
		if (dflt && parse_name(r, s, a + 2, &x) && strcmp(dflt, x.key) == 0)
			fact_set(r->l, FACT_DEFAULT_PARTITION, al->table.key, false, NULL);
	} else if (kw(s, a, "validate") && kw(s, a + 1, "constraint") &&
	           sqltok_name(tok(s, a + 2))) {
		const char *c = col_key(&r->scratch, al->table.key, ident_key(r, tok(s, a + 2)));
		if (fact_get(r->l, FACT_NOT_VALID_CHECK, c))
			fact_set(r->l, FACT_VALID_CHECK, al->table.key, true, NULL);
	} else if (kw(s, a, "add") && find_kw(s, a, b, 0, "check") < b) {
		if (!has_kw_pair(s, a, b, 0, "not", "valid"))
			fact_set(r->l, FACT_VALID_CHECK, al->table.key, true, NULL);
		else if (kw(s, a + 1, "constraint") && sqltok_name(tok(s, a + 2)))
			fact_set(r->l, FACT_NOT_VALID_CHECK,
			         col_key(&r->scratch, al->table.key, ident_key(r, tok(s, a + 2))),
			         true, NULL);
	} else if (kw(s, a, "rename") && kw(s, a + 1, "to") && sqltok_name(tok(s, a + 2))) {
		const char *to = ident_key(r, tok(s, a + 2));
		const char *dflt = fact_default_partition(r->l, al->table.key);
		if (dflt) {
			char keep[48];
			snprintf(keep, sizeof(keep), "%s", dflt);
			fact_set(r->l, FACT_DEFAULT_PARTITION, to, true, keep);
		}
		if (fact_get(r->l, FACT_VALID_CHECK, al->table.key))
			fact_set(r->l, FACT_VALID_CHECK, to, true, NULL);
		facts_forget_table(r->l, al->table.key);
	}
	forms_match(r, s, a, b, al);
}


static void add_column(struct run *r, const struct stmt *s, uint32_t a, uint32_t b,
                       const struct alter *al)
{
	struct coldef d;
	ddl_column_read(&r->l->ddl, s->t, s->n, a, b, DDL_SCRIPT);
	if (r->l->ddl.ncols == 0 || !coldef_of(r, s, &r->l->ddl.cols[0], &d))
		return;
	const char *t = al->table.show, *c = d.col.show;
	bool supplied = (d.has_default && !d.default_null) || d.serial || d.identity ||
	                d.generated;
	if ((d.not_null || (d.primary && r->pg)) && !supplied && !al->is_new)
		FIND(r, LINT_ADD_NOT_NULL, s->line,
		     "ADD COLUMN %s.%s is NOT NULL without a default: it fails if %s has rows",
		     t, c, t);
	if (!r->pg) {
		if (d.primary || d.unique)
			FIND(r, LINT_SQLITE_ALTER, s->line,
			     "ADD COLUMN %s.%s with %s fails on SQLite", t, c,
			     d.primary ? "PRIMARY KEY" : "UNIQUE");
		else if (d.stored)
			FIND(r, LINT_SQLITE_ALTER, s->line,
			     "ADD COLUMN %s.%s: SQLite cannot add a STORED generated column", t, c);
		else if (d.default_nonconst && !al->is_new)
			FIND(r, LINT_SQLITE_ALTER, s->line,
			     "ADD COLUMN %s.%s with a non-constant default fails on SQLite "
			     "once %s has rows", t, c, t);
	} else if (!al->is_new) {
		const char *why = d.volatile_fn ? d.volatile_fn : d.serial ? "a serial type"
		                : d.identity ? "an identity" : d.stored ? "a stored generated value"
		                : NULL;
		if (why)
			FIND(r, LINT_VOLATILE_DEFAULT, s->line,
			     "ADD COLUMN %s.%s with %s%s rewrites every row of %s", t, c, why,
			     d.volatile_fn ? "()" : "", t);
		/* A new column that is all NULL has nothing to check. */
		if (d.references && d.has_default && !d.default_null)
			FIND(r, LINT_ADD_FOREIGN_KEY, s->line,
			     "ADD COLUMN %s.%s with a default REFERENCES checks every row while "
			     "%s and the referenced table are locked against writes", t, c, t);
		if (d.check)
			FIND(r, LINT_ADD_CHECK, s->line,
			     "ADD COLUMN %s.%s CHECK runs the check on every row under an ACCESS "
			     "EXCLUSIVE lock", t, c);
		struct name ty;
		if (!why && parse_name(r, s, d.col.end, &ty) &&
		    fact_get(r->l, FACT_DOMAIN_CHECK, ty.key))
			form_finding(r, s, FORM_ADD_COLUMN_DOMAIN, t);
		if (d.primary || d.unique)
			FIND(r, LINT_ADD_UNIQUE, s->line,
			     "ADD COLUMN %s.%s %s builds an index under an ACCESS EXCLUSIVE lock",
			     t, c, d.primary ? "PRIMARY KEY" : "UNIQUE");
	}
	learn_coldef(r, al->table.key, &d);
	if (r->section == SCRIPT_UPGRADE)
		names_add(&r->up_cols, col_key(&r->scratch, al->table.key, d.col.key));
}

/* The recommended path to SET NOT NULL without a long scan is a CHECK
 * (col IS NOT NULL) added NOT VALID, validated later: remember such checks
 * by name. i is at the CHECK's parenthesis. */
static void learn_not_null_check(struct run *r, const struct stmt *s, uint32_t i,
                                 const struct alter *al, const char *name, bool valid)
{
	if (!punct(s, i, '(') || !sqltok_name(tok(s, i + 1)) || !kw(s, i + 2, "is") ||
	    !kw(s, i + 3, "not") || !kw(s, i + 4, "null") || !punct(s, i + 5, ')'))
		return;
	uint32_t at = col_find(r->l, al->table.key, ident_key(r, tok(s, i + 1)));
	if (at == UINT32_MAX)
		return;
	const char *key = col_key(&r->l->arena, al->table.key, name);
	if (!strmap_put(&r->l->nnmap, key, at))
		return;   /* a name used before: keep the first */
	if (valid)
		col_set_checked(r->l, at);
}

/* ADD [CONSTRAINT name] FOREIGN KEY | CHECK | UNIQUE | PRIMARY KEY | EXCLUDE */
static void add_constraint(struct run *r, const struct stmt *s, uint32_t a, uint32_t b,
                           const struct alter *al)
{
	uint32_t k = a;
	const char *name = NULL;
	if (kw(s, k, "constraint")) {
		if (sqltok_name(tok(s, k + 1)))
			name = ident_key(r, tok(s, k + 1));
		k += 2;
	}
	bool not_valid = has_kw_pair(s, k, b, 0, "not", "valid");
	if (name && kw(s, k, "check"))
		learn_not_null_check(r, s, k + 1, al, name, !not_valid);
	if (not_valid && name && kw(s, k, "foreign"))
		names_add(&r->not_valid_fk, name);
	else if (not_valid && name && kw(s, k, "check"))
		names_add(&r->not_valid_check, name);
	const char *t = al->table.show;
	if (!r->pg) {
		FIND(r, LINT_SQLITE_ALTER, s->line,
		     "ALTER TABLE %s ADD CONSTRAINT is not supported by SQLite", t);
		return;
	}
	if (kw(s, k, "foreign") || kw(s, k, "primary") || kw(s, k, "unique"))
		pin_named_columns(r, s, k, b, 1, al->table.key, NULL, NULL, 0);
	if (al->is_new)
		return;
	if (kw(s, k, "foreign") && !not_valid)
		FIND(r, LINT_ADD_FOREIGN_KEY, s->line,
		     "ADD FOREIGN KEY on %s checks every row while %s and the referenced "
		     "table are locked against writes", t, t);
	else if (kw(s, k, "check") && !not_valid)
		FIND(r, LINT_ADD_CHECK, s->line,
		     "ADD CHECK on %s scans every row under an ACCESS EXCLUSIVE lock", t);
	else if ((kw(s, k, "unique") || kw(s, k, "primary") || kw(s, k, "exclude")) &&
	         !has_kw_pair(s, k, b, 0, "using", "index"))
		FIND(r, LINT_ADD_UNIQUE, s->line,
		     "ADD %s on %s builds its index under an ACCESS EXCLUSIVE lock",
		     kw(s, k, "unique") ? "UNIQUE" : kw(s, k, "primary") ? "PRIMARY KEY"
		                                                         : "EXCLUDE", t);
}

/* VALIDATE CONSTRAINT c, i at c */
static void validate(struct run *r, const struct stmt *s, uint32_t i,
                     const struct alter *al)
{
	if (!sqltok_name(tok(s, i)))
		return;
	const char *c = ident_key(r, tok(s, i));
	uint32_t at;
	if (pair_get(&r->l->nnmap, al->table.key, c, &at) && r->l->lc[at].alive)
		col_set_checked(r->l, at);
	bool fk = names_has(&r->not_valid_fk, c);
	if (in_txn(r) && (fk || names_has(&r->not_valid_check, c)))
		FIND(r, fk ? LINT_ADD_FOREIGN_KEY : LINT_ADD_CHECK, s->line,
		     "VALIDATE CONSTRAINT %.*s in the transaction that added it NOT VALID: "
		     "the scan runs under the ACCESS EXCLUSIVE lock the ADD still holds on %s",
		     (int)tok(s, i)->len, tok(s, i)->s, al->table.show);
}

static void drop_column(struct run *r, const struct stmt *s, uint32_t i,
                        const struct alter *al)
{
	struct name c;
	if (!parse_name(r, s, skip_if_exists(s, i), &c))
		return;
	uint32_t at = col_find(r->l, al->table.key, c.key);
	if (!al->is_new) {
		bool own = names_has(&r->up_cols, col_key(&r->scratch, al->table.key, c.key)) ||
		           names_has(&r->up_tables, al->table.key);
		uint32_t found = r->out->n;
		finding(r, LINT_DROP_COLUMN, undo_severity(r, LINT_DROP_COLUMN, own), s->line,
		        "DROP COLUMN %s.%s deletes the column's data%s", al->table.show, c.show,
		        own_note(r, own));
		finding_objects(r, found, &al->table, 1, &c, own);
		if (at != UINT32_MAX && r->l->lc[at].pins > 0)
			FIND(r, LINT_SQLITE_DROP_COLUMN, s->line,
			     "DROP COLUMN %s.%s fails on SQLite: an index, key or constraint uses it",
			     al->table.show, c.show);
	}
	if (at != UINT32_MAX)
		col_kill(r->l, at);
}

static bool with_time_zone(const struct ltype *t)
{
	char low[sizeof(t->text)];
	size_t k = 0;
	for (; t->text[k]; k++)
		low[k] = (char)(t->text[k] >= 'A' && t->text[k] <= 'Z' ? t->text[k] | 0x20
		                                                         : t->text[k]);
	low[k] = '\0';
	return strstr(low, "timestamptz") || strstr(low, "with time zone");
}

/* ALTER [COLUMN] c TYPE t: data and lock findings for one type change. */
static void alter_type(struct run *r, const struct stmt *s, uint32_t i, uint32_t b,
                       const struct alter *al, const struct name *c)
{
	uint32_t end = i;
	while (end < b && !(tok(s, end)->depth == 0 &&
	                    (kw(s, end, "using") || kw(s, end, "collate"))))
		end++;
	struct ltype nt;
	type_parse(s, i, end, &nt);
	bool using = kw(s, end, "using");
	uint32_t at = col_find(r->l, al->table.key, c->key);
	struct ltype old = {0};
	if (at != UINT32_MAX)
		old = col_type(r->l, at);
	enum type_verdict v = type_compare(&old, &nt);
	/* timestamp and timestamptz are the same instants in UTC (12+) */
	bool tz_change = old.fam == TF_TIMESTAMP && nt.fam == TF_TIMESTAMP &&
	                 v == TV_CHANGE && with_time_zone(&old) != with_time_zone(&nt);
	if (tz_change && r->utc)
		v = TV_SAME;
	if (using && v < TV_REWRITE)
		v = TV_REWRITE;
	const char *t = al->table.show, *cn = c->show;
	if (!al->is_new) {
		/* SQLite has no ALTER COLUMN: only PostgreSQL gets here */
		const char *lock = " and rewrites the table under an ACCESS EXCLUSIVE lock";
		switch (v) {
		case TV_SAME:
		case TV_WIDEN:
			break;
		case TV_NARROW: {
			uint32_t found = r->out->n;
			FIND(r, LINT_TYPE_NARROWING, s->line,
			     "%s.%s from %s to %s narrows the column (values that do not fit "
			     "fail the migration or are cut)%s", t, cn, old.text, nt.text, lock);
			finding_objects(r, found, &al->table, 1, c, false);
			break;
		}
		case TV_REWRITE:
			FIND(r, LINT_TYPE_CHANGE, s->line,
			     "%s.%s from %s to %s%s rewrites the table under an ACCESS "
			     "EXCLUSIVE lock", t, cn, old.text[0] ? old.text : "its type",
			     nt.text, using ? " USING an expression" : "");
			break;
		case TV_CHANGE:
			if (old.fam == TF_UNKNOWN)
				FIND(r, LINT_TYPE_CHANGE, s->line,
				     "%s.%s to %s: the column's type before is unknown here, so this "
				     "may narrow it or fail to convert values,%s", t, cn, nt.text, lock);
			else
				FIND(r, LINT_TYPE_CHANGE, s->line,
				     "%s.%s from %s to %s converts every value (those that do not "
				     "convert fail the migration),%s%s", t, cn, old.text, nt.text, lock,
				     tz_change ? " unless the session's TimeZone is UTC: SET LOCAL "
				                 "TimeZone = 'UTC' first" : "");
			break;
		}
	}
	if (at != UINT32_MAX)
		col_set_type(r->l, at, &nt);
}

static void alter_column(struct run *r, const struct stmt *s, uint32_t i, uint32_t b,
                         const struct alter *al)
{
	if (kw(s, i, "column"))
		i++;
	struct name c;
	if (!parse_name(r, s, i, &c))
		return;
	if (!r->pg) {
		FIND(r, LINT_SQLITE_ALTER, s->line,
		     "ALTER TABLE %s ALTER COLUMN %s is not supported by SQLite",
		     al->table.show, c.show);
		return;
	}
	uint32_t k = c.end;
	if (kw(s, k, "set") && kw(s, k + 1, "data"))
		k += 2;
	if (kw(s, k, "type")) {
		alter_type(r, s, k + 1, b, al, &c);
	} else if (kw(s, k, "set") && kw(s, k + 1, "not") && kw(s, k + 2, "null")) {
		uint32_t at = col_find(r->l, al->table.key, c.key);
		if (!al->is_new && !(at != UINT32_MAX && r->l->lc[at].not_null_checked))
			FIND(r, LINT_SET_NOT_NULL, s->line,
			     "SET NOT NULL on %s.%s scans every row under an ACCESS EXCLUSIVE lock",
			     al->table.show, c.show);
	}
}

static void alter_rename(struct run *r, const struct stmt *s, uint32_t i,
                   const struct alter *al)
{
	struct name to, c;
	if (kw(s, i, "to")) {
		if (!parse_name(r, s, i + 1, &to))
			return;
		if (!al->is_new)
			FIND(r, LINT_RENAME_TABLE, s->line,
			     "renaming %s %s to %s breaks code that still uses the old name",
			     al->view ? "view" : "table", al->table.show, to.show);
		table_rename(r->l, al->table.key, to.key);
		if (created_here(r, al->table.key))
			names_add(&r->created, to.key);
		return;
	}
	if (kw(s, i, "constraint"))
		return;
	if (kw(s, i, "column"))
		i++;
	if (!parse_name(r, s, i, &c) || !kw(s, c.end, "to") ||
	    !parse_name(r, s, c.end + 1, &to))
		return;
	if (!al->is_new)
		FIND(r, LINT_RENAME_COLUMN, s->line,
		     "renaming column %s.%s to %s breaks code that still uses the old name",
		     al->table.show, c.show, to.show);
	uint32_t at = col_find(r->l, al->table.key, c.key);
	if (at != UINT32_MAX)
		col_move(r->l, at, al->table.key, to.key);
}

/* One action of ALTER TABLE, tokens [a, b). */
static void alter_action(struct run *r, const struct stmt *s, uint32_t a, uint32_t b,
                         const struct alter *al)
{
	if (kw(s, a, "add")) {
		uint32_t i = a + 1;
		bool column = kw(s, i, "column");
		if (column)
			i++;
		i = skip_if_exists(s, i);
		if (!column && (kw(s, i, "constraint") || kw(s, i, "foreign") ||
		                kw(s, i, "check") || kw(s, i, "unique") ||
		                (kw(s, i, "primary") && kw(s, i + 1, "key")) ||
		                kw(s, i, "exclude")))
			add_constraint(r, s, i, b, al);
		else
			add_column(r, s, i, b, al);
	} else if (kw(s, a, "drop")) {
		if (kw(s, a + 1, "constraint")) {
			FIND(r, LINT_SQLITE_ALTER, s->line,
			     "ALTER TABLE %s DROP CONSTRAINT is not supported by SQLite",
			     al->table.show);
			return;
		}
		drop_column(r, s, kw(s, a + 1, "column") ? a + 2 : a + 1, al);
	} else if (kw(s, a, "alter") && !kw(s, a + 1, "constraint")) {
		alter_column(r, s, a + 1, b, al);
	} else if (kw(s, a, "rename")) {
		alter_rename(r, s, a + 1, al);
	} else if (kw(s, a, "validate") && kw(s, a + 1, "constraint")) {
		validate(r, s, a + 2, al);
	} else if (kw(s, a, "detach") && kw(s, a + 1, "partition")) {
		bool conc = find_kw(s, a, b, 0, "concurrently") < b;
		concurrently_check(r, s, conc, "DETACH PARTITION");
		if (!conc && find_kw(s, a, b, 0, "finalize") == b && !al->is_new)
			FIND(r, LINT_DETACH_PARTITION, s->line,
			     "DETACH PARTITION takes an ACCESS EXCLUSIVE lock on %s", al->table.show);
	} else if (!r->pg) {
		FIND(r, LINT_SQLITE_ALTER, s->line,
		     "ALTER TABLE %s %.*s is not supported by SQLite", al->table.show,
		     (int)tok(s, a)->len, tok(s, a)->s);
	}
}

/* i: just after TABLE or VIEW */
static void alter_table(struct run *r, const struct stmt *s, uint32_t i, bool view)
{
	struct alter al = {.view = view};
	i = skip_if_exists(s, i);
	if (kw(s, i, "only"))
		i++;
	if (!parse_name(r, s, i, &al.table))
		return;
	al.is_new = created_here(r, al.table.key);
	uint32_t a = al.table.end;
	if (punct(s, a, '*'))
		a++;
	uint32_t nactions = 0;
	while (a < s->n) {
		uint32_t b = a;
		while (b < s->n && !(tok(s, b)->depth == 0 && punct(s, b, ',')))
			b++;
		if (nactions++ == 1 && !r->pg)
			FIND(r, LINT_SQLITE_ALTER, s->line,
			     "ALTER TABLE %s with several actions is not supported by SQLite",
			     al.table.show);
		if (!view || kw(s, a, "rename"))
			alter_action(r, s, a, b, &al);
		if (!view)
			lock_table_action(r, s, a, b, &al);
		a = b + 1;
	}
}

/* ---- predicates that are always true ---- */

enum truth { TRUTH_UNKNOWN, TRUTH_FALSE, TRUTH_TRUE };

static enum truth truth_of(bool b)
{
	return b ? TRUTH_TRUE : TRUTH_FALSE;
}

/* A number token's value; false when it has no plain decimal form. */
static bool tok_number(const struct sqltok *t, double *out)
{
	char buf[64];
	if (t->type != SQL_TOK_NUMBER || t->len >= sizeof(buf))
		return false;
	memcpy(buf, t->s, t->len);
	buf[t->len] = '\0';
	char *end;
	*out = strtod(buf, &end);
	return *end == '\0';
}

/* a OP b where both are literals: numbers, or '…' strings (written the
 * same way, or both plain and so different values when spelt apart). */
static enum truth compare_literals(const struct sqltok *a, const struct sqltok *op,
                                   const struct sqltok *b)
{
	if (op->type != SQL_TOK_PUNCT)
		return TRUTH_UNKNOWN;
	char o[3] = "";
	if (op->len < sizeof(o)) {
		memcpy(o, op->s, op->len);
		o[op->len] = '\0';
	}
	bool eq = strcmp(o, "=") == 0 || strcmp(o, "==") == 0;
	bool ne = strcmp(o, "<>") == 0 || strcmp(o, "!=") == 0;
	double x, y;
	if (tok_number(a, &x) && tok_number(b, &y)) {
		if (eq || ne)
			return truth_of((x == y) == eq);
		if (strcmp(o, "<") == 0)
			return truth_of(x < y);
		if (strcmp(o, "<=") == 0)
			return truth_of(x <= y);
		if (strcmp(o, ">") == 0)
			return truth_of(x > y);
		if (strcmp(o, ">=") == 0)
			return truth_of(x >= y);
		return TRUTH_UNKNOWN;
	}
	if (a->type != SQL_TOK_STRING || b->type != SQL_TOK_STRING || !(eq || ne))
		return TRUTH_UNKNOWN;
	bool same = a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
	if (same)
		return truth_of(eq);
	if (a->s[0] == '\'' && b->s[0] == '\'')
		return truth_of(ne);
	return TRUTH_UNKNOWN;
}

static enum truth truth_expr(const struct stmt *s, uint32_t a, uint32_t e, uint32_t depth);

/* One operand of AND, tokens [a, e): NOT x, (x), true, false, a number
 * (SQLite reads 1 as true), literal OP literal, NULL IS NULL. */
static enum truth truth_term(const struct stmt *s, uint32_t a, uint32_t e, uint32_t depth)
{
	if (a >= e)
		return TRUTH_UNKNOWN;
	if (kw(s, a, "not")) {
		enum truth t = truth_term(s, a + 1, e, depth);
		return t == TRUTH_UNKNOWN ? t : truth_of(t == TRUTH_FALSE);
	}
	if (punct(s, a, '(') && punct(s, e - 1, ')') && tok(s, e - 1)->depth == depth) {
		uint32_t k = a + 1;   /* the parenthesis must close at e - 1 */
		while (k < e - 1 && tok(s, k)->depth > depth)
			k++;
		if (k == e - 1)
			return truth_expr(s, a + 1, e - 1, depth + 1);
	}
	double x;
	switch (e - a) {
	case 1:
		if (kw(s, a, "true"))
			return TRUTH_TRUE;
		if (kw(s, a, "false"))
			return TRUTH_FALSE;
		if (tok_number(tok(s, a), &x))
			return truth_of(x != 0);
		return TRUTH_UNKNOWN;
	case 3:
		if (kw(s, a, "null") && kw(s, a + 1, "is") && kw(s, a + 2, "null"))
			return TRUTH_TRUE;
		return compare_literals(tok(s, a), tok(s, a + 1), tok(s, a + 2));
	default:
		return TRUTH_UNKNOWN;
	}
}

/* The next top-level `w` (AND or OR) in [a, e), skipping CASE … END and
 * the AND of BETWEEN x AND y; e when there is none. */
static uint32_t next_connective(const struct stmt *s, uint32_t a, uint32_t e,
                                uint32_t depth, const char *w)
{
	uint32_t cases = 0;
	bool between = false;
	for (uint32_t i = a; i < e; i++) {
		if (tok(s, i)->depth != depth)
			continue;
		if (kw(s, i, "case"))
			cases++;
		else if (kw(s, i, "end") && cases > 0)
			cases--;
		else if (kw(s, i, "between"))
			between = true;
		else if (cases == 0 && kw(s, i, "and") && between)
			between = false;
		else if (cases == 0 && kw(s, i, w))
			return i;
	}
	return e;
}

/* The value of a predicate, tokens [a, e) at depth, when it does not
 * depend on the row: x OR y is true when either is, x AND y when both. */
static enum truth truth_expr(const struct stmt *s, uint32_t a, uint32_t e, uint32_t depth)
{
	bool all_false = true;
	for (uint32_t o = a; o < e;) {
		uint32_t oe = next_connective(s, o, e, depth, "or");
		enum truth branch = TRUTH_TRUE;
		for (uint32_t c = o; c < oe;) {
			uint32_t ce = next_connective(s, c, oe, depth, "and");
			enum truth t = truth_term(s, c, ce, depth);
			if (t == TRUTH_FALSE)
				branch = TRUTH_FALSE;
			else if (t == TRUTH_UNKNOWN && branch == TRUTH_TRUE)
				branch = TRUTH_UNKNOWN;
			c = ce + 1;
		}
		if (o == oe)
			branch = TRUTH_UNKNOWN;
		if (branch == TRUTH_TRUE)
			return TRUTH_TRUE;
		all_false = all_false && branch == TRUTH_FALSE;
		o = oe + 1;
	}
	return all_false && a < e ? TRUTH_FALSE : TRUTH_UNKNOWN;
}

/* A WHERE whose condition, tokens from a to the end of the statement at
 * depth (or RETURNING, ORDER BY, LIMIT), holds for every row: WHERE true,
 * WHERE 1 = 1, WHERE 'a' = 'a', WHERE … OR 1 = 1. */
static bool where_always_true(const struct stmt *s, uint32_t a, uint32_t end,
                              uint32_t depth)
{
	uint32_t e = a;
	while (e < end && !(tok(s, e)->depth == depth &&
	                    (kw(s, e, "returning") || kw(s, e, "order") || kw(s, e, "limit"))))
		e++;
	return truth_expr(s, a, e, depth) == TRUTH_TRUE;
}

/* ---- DELETE / UPDATE anywhere a statement can start ---- */

/* DELETE/UPDATE at i begins a statement: first word, first word of a
 * parenthesised query (a CTE body), or right after WITH's last CTE. Other
 * places (ON UPDATE CASCADE, FOR UPDATE, trigger and rule bodies, ON
 * CONFLICT DO UPDATE) are not a whole-table statement of their own. */
static bool starts_statement(const struct stmt *s, uint32_t i)
{
	if (i == 0)
		return true;
	if (punct(s, i - 1, '('))
		return true;
	return kw(s, 0, "with") && punct(s, i - 1, ')') && tok(s, i)->depth == 0;
}

static bool created_or_unknown(struct run *r, const struct stmt *s, uint32_t i,
                               struct name *t)
{
	return !parse_name(r, s, i, t) || created_here(r, t->key);
}

static void dml(struct run *r, const struct stmt *s)
{
	for (uint32_t i = 0; i < s->n; i++) {
		bool del = kw(s, i, "delete") && kw(s, i + 1, "from");
		bool upd = kw(s, i, "update");
		if ((!del && !upd) || !starts_statement(s, i))
			continue;
		uint32_t depth = tok(s, i)->depth, end = i + 1;
		/* to the parenthesis that closes it (which has the outer depth) */
		while (end < s->n && tok(s, end)->depth >= depth)
			end++;
		uint32_t w = find_kw(s, i + 1, end, depth, "where");
		bool always = w < end && where_always_true(s, w + 1, end, depth);
		bool where = w < end && !always;
		uint32_t j = del ? i + 2 : i + 1;
		if (upd && kw(s, j, "or"))
			j += 2;   /* UPDATE OR REPLACE */
		if (kw(s, j, "only"))
			j++;
		struct name t;
		if (where || created_or_unknown(r, s, j, &t))
			continue;
		uint32_t found = r->out->n;
		if (del)
			FIND(r, LINT_DELETE_ALL, s->line,
			     "DELETE FROM %s has %s: it deletes every row", t.show,
			     always ? "a WHERE that is always true" : "no WHERE");
		if (del)
			finding_objects(r, found, &t, 1, NULL, false);
		else if (find_kw(s, t.end, end, depth, "set") < end)
			FIND(r, LINT_UPDATE_ALL, s->line,
			     "UPDATE %s has %s: it changes every row", t.show,
			     always ? "a WHERE that is always true" : "no WHERE");
	}
}

/* ---- the other statements ---- */

static void truncate_stmt(struct run *r, const struct stmt *s)
{
	uint32_t i = 1;
	if (kw(s, i, "table"))
		i++;
	if (kw(s, i, "only"))
		i++;
	struct name t[32];
	uint32_t n = name_list(r, s, i, t, RT_ARRAY_LEN(t));
	struct strbuf shown = STRBUF_INIT;
	uint32_t listed = 0;
	struct name emptied[32];
	for (uint32_t k = 0; k < n; k++)
		if (!created_here(r, t[k].key)) {
			emptied[listed] = t[k];
			sb_addf(&shown, "%s%s", listed++ ? ", " : "", t[k].show);
		}
	uint32_t found = r->out->n;
	if (listed)
		FIND(r, LINT_TRUNCATE, s->line, "TRUNCATE %s deletes every row%s",
		     sb_str(&shown), find_kw(s, i, s->n, 0, "cascade") < s->n
		     ? ", and CASCADE empties the tables that reference it too" : "");
	finding_objects(r, found, emptied, listed, NULL, false);
	sb_free(&shown);
}

static void reindex(struct run *r, const struct stmt *s)
{
	uint32_t i = 1;
	bool conc = false;
	if (punct(s, i, '(')) {
		/* REINDEX (CONCURRENTLY, VERBOSE) … on PostgreSQL 14+ */
		conc = find_kw(s, i, s->n, 1, "concurrently") < s->n;
		while (i < s->n && !(punct(s, i, ')') && tok(s, i)->depth == 0))
			i++;
		i++;
	}
	bool whole = kw(s, i, "database") || kw(s, i, "system") || kw(s, i, "schema");
	conc = conc || kw(s, i + 1, "concurrently");
	concurrently_check(r, s, conc, "REINDEX");
	if (whole && in_txn(r) && !conc)
		FIND(r, LINT_NEEDS_NO_TXN, s->line,
		     "REINDEX %.*s cannot run inside a transaction", (int)tok(s, i)->len,
		     tok(s, i)->s);
	if (!conc)
		FIND(r, LINT_REINDEX, s->line,
		     "REINDEX %.*s blocks writes while it rebuilds", (int)tok(s, i)->len,
		     tok(s, i)->s);
}

static void vacuum(struct run *r, const struct stmt *s)
{
	bool full = kw(s, 1, "full") ||
	            (punct(s, 1, '(') && find_kw(s, 2, s->n, 1, "full") < s->n);
	if (in_txn(r))
		FIND(r, LINT_NEEDS_NO_TXN, s->line, "VACUUM cannot run inside a transaction");
	if (full)
		FIND(r, LINT_VACUUM_FULL, s->line,
		     "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock");
}

static void do_block(struct run *r, const struct stmt *s);

/* BEGIN … END in a DO body is PL/pgSQL, not transaction control; a
 * trigger's BEGIN is inside its CREATE statement. */
static bool transaction_control(const struct run *r, const struct stmt *s)
{
	if (!in_txn(r) || r->in_do || s->n == 0)
		return false;
	/* the runner's own test, so that lint flags what a run refuses */
	const struct sqltok *first = tok(s, 0), *last = tok(s, s->n - 1);
	return sqllex_txn_control(first->s, (size_t)(last->s + last->len - first->s),
	                          r->l->dialect) != NULL;
}

static void statement(struct run *r, const struct stmt *s)
{
	lock_table_rules(r, s);
	if (transaction_control(r, s))
		FIND(r, LINT_TXN_CONTROL, s->line,
		     "%.*s inside a script that runs in a transaction",
		     (int)tok(s, 0)->len, tok(s, 0)->s);
	dml(r, s);
	if (kw(s, 0, "drop")) {
		drop(r, s);
	} else if (kw(s, 0, "truncate")) {
		truncate_stmt(r, s);
	} else if (kw(s, 0, "alter")) {
		if (kw(s, 1, "table"))
			alter_table(r, s, 2, false);
		else if (kw(s, 1, "view") || (kw(s, 1, "materialized") && kw(s, 2, "view")))
			alter_table(r, s, kw(s, 1, "view") ? 2 : 3, true);
		else if (kw(s, 1, "system") && in_txn(r))
			FIND(r, LINT_NEEDS_NO_TXN, s->line,
			     "ALTER SYSTEM cannot run inside a transaction");
	} else if (kw(s, 0, "create")) {
		uint32_t i = 1;
		bool unique = kw(s, i, "unique");
		if (unique)
			i++;
		if (kw(s, i, "index")) {
			create_index(r, s, i + 1, unique);
			return;
		}
		while (kw(s, i, "global") || kw(s, i, "local") || kw(s, i, "temp") ||
		       kw(s, i, "temporary") || kw(s, i, "unlogged") || kw(s, i, "virtual"))
			i++;
		if (kw(s, i, "table"))
			create_table(r, s, i + 1);
		else if ((kw(s, i, "database") || kw(s, i, "tablespace")) &&
		         r->pg && in_txn(r))
			FIND(r, LINT_NEEDS_NO_TXN, s->line,
			     "CREATE %s cannot run inside a transaction",
			     kw(s, i, "database") ? "DATABASE" : "TABLESPACE");
	} else if (kw(s, 0, "reindex")) {
		reindex(r, s);
	} else if (kw(s, 0, "vacuum")) {
		vacuum(r, s);
	} else if (kw(s, 0, "cluster")) {
		FIND(r, LINT_CLUSTER, s->line,
		     "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock");
	} else if (kw(s, 0, "do") && r->pg) {
		do_block(r, s);
	} else if (kw(s, 0, "lock")) {
		struct name t;
		uint32_t i = kw(s, 1, "table") ? 2 : 1;
		if (kw(s, i, "only"))
			i++;
		if (parse_name(r, s, i, &t))
			FIND(r, LINT_LOCK_TABLE, s->line,
			     "LOCK TABLE %s holds the lock until the migration commits", t.show);
	}
}

/* ---- sections ---- */

/* Collects `-- retort:ignore RULE[,RULE] [why]` comments of a region. */
static void scan_ignores(struct run *r, const char *p, size_t n, uint32_t line,
                         enum region region)
{
	static const char tag[] = "retort:ignore";
	struct sqllex lx;
	struct sql_token t;
	sqllex_init(&lx, p, n, r->l->dialect, line);
	for (;;) {
		sqllex_next(&lx, &t);
		if (t.type == SQL_TOK_EOF || t.type == SQL_TOK_ERROR)
			break;
		if (t.type != SQL_TOK_COMMENT || t.len < 2 || p[t.off] != '-')
			continue;
		const char *c = p + t.off + 2, *e = p + t.off + t.len;
		while (c < e && (*c == ' ' || *c == '\t'))
			c++;
		if ((size_t)(e - c) < sizeof(tag) - 1 || strncmp(c, tag, sizeof(tag) - 1) != 0)
			continue;
		c += sizeof(tag) - 1;
		for (;;) {
			while (c < e && (*c == ' ' || *c == '\t'))
				c++;
			const char *w = c;
			while (c < e && ((*c >= 'a' && *c <= 'z') || *c == '-' ||
			                 (*c >= '0' && *c <= '9')))
				c++;
			if (c == w)
				break;
			char *id = scratch_strndup(r, w, (size_t)(c - w));
			int rule = lint_rule_find(id);
			if (rule < 0) {
				FIND(r, LINT_UNKNOWN_IGNORE, t.line,
				     "retort:ignore names '%s', which is not a rule", id);
			}
			if (r->nign == r->capign) {
				r->capign = r->capign ? 2 * r->capign : 8;
				r->ign = xrealloc(r->ign, r->capign * sizeof(*r->ign));
			}
			r->ign[r->nign++] = (struct ignore){t.line, rule, region};
			while (c < e && (*c == ' ' || *c == '\t'))
				c++;
			if (c >= e || *c != ',')
				break;
			c++;
		}
	}
}

/* The statement inside a PL/pgSQL line: what follows the last BEGIN,
 * THEN, ELSE or LOOP that comes before any statement word, so that
 * `IF … THEN DROP TABLE x` is read as DROP TABLE x while the THEN of a
 * CASE inside an UPDATE is left alone. */
static uint32_t plpgsql_start(const struct stmt *s)
{
	static const char *const control[] = {"begin", "then", "else", "loop"};
	static const char *const verbs[] = {"alter", "create", "delete", "drop", "insert",
		"update", "truncate", "with", "select", "perform", "execute", "lock",
		"vacuum", "reindex", "cluster", "raise", "return", "null"};
	uint32_t start = 0;
	for (uint32_t i = 0; i < s->n; i++) {
		if (tok(s, i)->depth != 0)
			continue;
		for (size_t k = 0; k < RT_ARRAY_LEN(control); k++)
			if (kw(s, i, control[k]))
				start = i + 1;
		if (i != start)
			continue;
		for (size_t k = 0; k < RT_ARRAY_LEN(verbs); k++)
			if (kw(s, i, verbs[k]))
				return start;
	}
	return start;
}

/* DO $$ … $$ runs at migration time, so its statements are linted too,
 * each at its own line, and always as inside a transaction. */
static void do_block(struct run *r, const struct stmt *s)
{
	const struct sqltok *t = NULL;
	for (uint32_t i = 1; i < s->n && !t; i++)
		if (tok(s, i)->type == SQL_TOK_STRING && tok(s, i)->s[0] == '$')
			t = tok(s, i);
	if (!t)
		return;
	uint32_t tag = 1;
	while (tag < t->len && t->s[tag] != '$')
		tag++;
	tag++;
	if (t->len < 2 * tag)
		return;
	const char *body = t->s + tag;
	size_t n = t->len - 2 * tag;
	scan_ignores(r, body, n, t->line, r->section == SCRIPT_UPGRADE
	                                  ? REGION_UPGRADE : REGION_DOWNGRADE);
	struct sql_stmt *st = NULL;
	uint32_t nst = 0;
	if (sqllex_split(body, n, SQL_POSTGRES, t->line, &st, &nst, NULL) != RT_OK)
		return;
	struct sqltoks tv = {0};
	bool was = r->in_do;
	r->in_do = true;
	for (uint32_t i = 0; i < nst; i++) {
		struct stmt inner;
		sqltoks_read(&tv, body + st[i].off, st[i].len, SQL_POSTGRES, st[i].line);
		inner.n = tv.n;
		uint32_t start = plpgsql_start(&(struct stmt){tv.v, inner.n, st[i].line});
		if (start >= inner.n)
			continue;
		inner.t = tv.v + start;
		inner.n -= start;
		inner.line = tv.v[start].line;
		statement(r, &inner);
	}
	r->in_do = was;
	sqltoks_free(&tv);
	free(st);
}

static bool ignored(const struct run *r, const struct lint_finding *f)
{
	for (uint32_t i = 0; i < r->nign; i++) {
		const struct ignore *g = &r->ign[i];
		if (g->rule != (int)f->rule)
			continue;
		if (g->line == f->line || g->line + 1 == f->line)
			return true;
		/* Findings about a whole script or section have no statement
		 * line: any ignore in the header, or in the empty section. */
		if ((g->region == REGION_HEADER && f->rule == LINT_IRREVERSIBLE) ||
		    (g->region == REGION_DOWNGRADE && f->rule == LINT_EMPTY_DOWNGRADE))
			return true;
	}
	return false;
}

/* Whether a finding belongs to the direction under review. */
static bool in_direction(const struct lint *l, const struct lint_finding *x)
{
	if (l->direction == LINT_BOTH || x->rule == LINT_IRREVERSIBLE)
		return true;
	return (x->section == SCRIPT_DOWNGRADE) == (l->direction == LINT_DOWN);
}

/* Returns the number of statements in the section. */
static uint32_t lint_section(struct run *r, enum script_section which, const char *p,
                             size_t n, uint32_t line, struct sqltoks *tv)
{
	struct sql_stmt *st = NULL;
	uint32_t nst = 0;
	char *err = NULL;
	r->section = which;
	r->created.n = 0;
	r->not_valid_fk.n = r->not_valid_check.n = 0;
	r->npend = 0;
	r->utc = false;
	r->new_enum_values.n = 0;
	if (sqllex_split(p, n, r->l->dialect, line, &st, &nst, &err) != RT_OK) {
		unsigned at = line;
		char what[128] = "";
		if (err && sscanf(err, "line %u: %127[^\n]", &at, what) < 1)
			at = line;
		FIND(r, LINT_PARSE_ERROR, at, "%s", what[0] ? what : (err ? err : "cannot lex"));
		free(err);
		return 0;
	}
	for (uint32_t i = 0; i < nst; i++) {
		struct stmt s;
		sqltoks_read(tv, p + st[i].off, st[i].len, r->l->dialect, st[i].line);
		s.n = tv->n;
		s.t = tv->v;
		s.line = st[i].line;
		statement(r, &s);
	}
	free(st);
	return nst;
}

static int cmp_line(const struct lint_finding *x, const struct lint_finding *y)
{
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/* Clamps a section to the text: a stale offset must not read past it. */
static void section_of(const struct lint_text *in, size_t off, size_t len,
                       const char **p, size_t *n)
{
	if (off > in->len)
		off = in->len;
	if (len > in->len - off)
		len = in->len - off;
	*p = in->text + off;
	*n = len;
}

void lint_text(struct lint *l, const struct lint_text *in, bool report,
               struct lint_findings *out)
{
	struct run r;
	memset(&r, 0, sizeof(r));
	r.l = l;
	r.in = in;
	r.report = report;
	r.pg = l->dialect == SQL_POSTGRES;
	r.out = out;
	arena_init(&r.scratch);
	uint32_t first = out->n;
	struct sqltoks tv = {0};

	const char *up, *down = NULL;
	size_t nup, ndown = 0;
	section_of(in, in->up_off, in->up_len, &up, &nup);
	if (in->has_downgrade)
		section_of(in, in->down_off, in->down_len, &down, &ndown);

	scan_ignores(&r, in->text, (size_t)(up - in->text), 1, REGION_HEADER);
	r.section = SCRIPT_UPGRADE;
	scan_ignores(&r, up, nup, in->up_line, REGION_UPGRADE);
	if (down) {
		r.section = SCRIPT_DOWNGRADE;
		scan_ignores(&r, down, ndown, in->down_line, REGION_DOWNGRADE);
	}

	uint32_t nup_stmts = lint_section(&r, SCRIPT_UPGRADE, up, nup, in->up_line, &tv);
	uint32_t marker = in->up_line > 1 ? in->up_line - 1 : 1;
	r.section = SCRIPT_UPGRADE;
	if (!in->has_downgrade)
		FIND(&r, LINT_IRREVERSIBLE, marker,
		     "no -- migrate:downgrade section: downgrading through %s fails",
		     in->revision ? in->revision : "this revision");
	if (down) {
		/* The downgrade runs after the upgrade and its schema changes are
		 * not part of the history that later scripts build on. */
		l->journal = true;
		uint32_t ndown_stmts = lint_section(&r, SCRIPT_DOWNGRADE, down, ndown,
		                                    in->down_line, &tv);
		undo_all(l);
		l->journal = false;
		if (ndown_stmts == 0 && nup_stmts > 0) {
			r.section = SCRIPT_DOWNGRADE;
			FIND(&r, LINT_EMPTY_DOWNGRADE, in->down_line > 1 ? in->down_line - 1 : 1,
			     "the downgrade section is empty: downgrading leaves the upgrade's "
			     "changes in place");
		}
	}

	/* Silence, keep the direction under review, then order by line (the
	 * ignore scan reported first). */
	uint32_t kept = first;
	for (uint32_t i = first; i < out->n; i++) {
		struct lint_finding *x = &out->v[i];
		if (ignored(&r, x) || u32vec_contains(&r.withdrawn, i) || !in_direction(l, x))
			continue;
		if (l->direction == LINT_DOWN && x->section == SCRIPT_DOWNGRADE &&
		    lint_rules[x->rule].data_loss)
			x->severity = LINT_ERROR;
		out->v[kept++] = *x;
	}
	out->n = kept;
	/* Insertion sort: stable, so findings of one line keep the order of
	 * the statement's actions; a script has few findings. */
	for (uint32_t i = first + 1; i < out->n; i++) {
		struct lint_finding x = out->v[i];
		uint32_t j = i;
		for (; j > first && cmp_line(&out->v[j - 1], &x) > 0; j--)
			out->v[j] = out->v[j - 1];
		out->v[j] = x;
	}

	sqltoks_free(&tv);
	free(r.ign);
	free(r.created.v);
	free(r.not_valid_fk.v);
	free(r.pend);
	u32vec_free(&r.withdrawn);
	free(r.not_valid_check.v);
	free(r.up_tables.v);
	free(r.up_cols.v);
	free(r.new_enum_values.v);
	arena_free(&r.scratch);
}

int lint_script(struct lint *l, const struct script *s, bool report,
                struct lint_findings *out, char **err)
{
	/* Only .sql scripts hold SQL (Alembic's .py revisions hold Python) */
	if (s->format != SCRIPT_FORMAT_SQL)
		return RT_OK;
	char *buf;
	size_t len;
	int rc = read_file(s->path, &buf, &len, err);
	if (rc != RT_OK)
		return rc;
	if (s->up_off + s->up_len > len ||
	    (s->has_downgrade && s->down_off + s->down_len > len)) {
		free(buf);
		return rt_err(err, RT_EINPUT, "%s: changed while retort was running", s->path);
	}
	struct lint_text in = {
		.file = s->path, .revision = s->rev, .text = buf, .len = len,
		.up_off = s->up_off, .up_len = s->up_len, .up_line = s->up_line,
		.has_downgrade = s->has_downgrade, .down_off = s->down_off,
		.down_len = s->down_len, .down_line = s->down_line,
		.transactional = s->txn != SCRIPT_TXN_NONE,
	};
	lint_text(l, &in, report, out);
	free(buf);
	return RT_OK;
}
