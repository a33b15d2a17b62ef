/* schema_impl.h: what the schema_*.c files share (callers use schema.h). */
#ifndef RT_SCHEMA_IMPL_H
#define RT_SCHEMA_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "schema.h"

/* How a column differs: a bit per compared attribute. */
enum {
	SCHEMA_COL_TYPE = 1 << 0,
	SCHEMA_COL_NULL = 1 << 1,
	SCHEMA_COL_DEFAULT = 1 << 2,
	SCHEMA_COL_COLLATION = 1 << 3,
	SCHEMA_COL_GENERATED = 1 << 4,
	SCHEMA_COL_IDENTITY = 1 << 5,
};
unsigned schema_col_diff(const struct schema_column *a, const struct schema_column *b);

/* The index of the named column, table, index, view or trigger, or -1. */
int32_t schema_col_at(enum sql_dialect d, const struct schema_table *t, const char *name);
int32_t schema_table_at(const struct schema *s, const char *name);
int32_t schema_index_at(const struct schema *s, const char *name);
int32_t schema_view_at(const struct schema *s, const char *name);
/* Triggers are named per table on PostgreSQL, per schema on SQLite. */
int32_t schema_trigger_at(const struct schema *s, const char *table, const char *name);
int32_t schema_type_at(const struct schema *s, const char *name);
int32_t schema_sequence_at(const struct schema *s, const char *name);
int32_t schema_function_at(const struct schema *s, const char *name, const char *args);
int32_t schema_function_sig_at(const struct schema *s, const char *sig);
int32_t schema_extension_at(const struct schema *s, const char *name);
int32_t schema_policy_at(const struct schema *s, const char *table, const char *name);

/* Whether two grant lists (sorted) are the same. */
bool schema_grants_eq(const struct schema_grants *a, const struct schema_grants *b);
/* What a type is, for a reader and for CREATE TYPE: "ENUM ('a', 'b')",
 * "AS (x integer, y text)", or a domain's "AS integer DEFAULT 0 NOT NULL
 * CONSTRAINT c CHECK (…)". Appended to sb. */
void schema_type_body(struct strbuf *sb, const struct schema_type *t);
/* A grant list for a reader: "SELECT TO reader, …", or "none". */
void schema_grants_text(struct strbuf *sb, const struct schema_grants *g);

/* Pairs the constraints of two versions of a table: a_to_b[i] is the
 * constraint of b that a's constraint i becomes (-1: dropped), b_to_a the
 * reverse (-1: new). A pair has the same kind and the same definition (a
 * rename when the names differ), or the same kind and name (a new
 * definition), or both are the primary key. */
void schema_match_cons(enum sql_dialect d, const struct schema_table *a,
                       const struct schema_table *b, int32_t *a_to_b, int32_t *b_to_a);
bool schema_con_same(enum sql_dialect d, const struct schema_constraint *a,
                     const struct schema_constraint *b);
bool schema_index_same(enum sql_dialect d, const struct schema_index *a,
                       const struct schema_index *b);
bool schema_str_eq(const char *a, const char *b);   /* NULL-aware */

/* A quoted name's text: the quotes ("…", […], `…`, '…') dropped, doubled
 * ones undone. Caller frees. */
char *schema_unquote(const char *s, size_t n);
/* Appends text as a SQL string literal. */
void schema_literal(struct strbuf *sb, const char *text);

/* The type as written in DDL: serial columns as serial, bigserial, … */
const char *schema_col_type(const struct schema_column *c);

/* Whether the identifier `name` occurs in sql (quoted or not, as the
 * dialect compares names): how SQLite views and triggers are tied to the
 * tables they read. */
bool schema_sql_mentions(const char *sql, enum sql_dialect d, const char *name);

/* A malloc'd list of malloc'd strings: push a copy; free them all. */
void schema_strv_push(char ***v, uint32_t *n, const char *s);
void schema_strv_clear(char ***v, uint32_t *n);
/* "name(args)", the name quoted as needed: how a function is named. */
const char *schema_sig(struct schema *s, const char *name, const char *args);

/* Reading one dialect's catalog (schema_read dispatches). */
int schema_read_sqlite(struct db *db, const char *version_table, struct schema *s,
                       char **err);
int schema_read_pg(struct db *db, const char *version_table, struct schema *s,
                   char **err);

/* SQLite's CREATE TABLE, as far as its catalog does not tell: the parts
 * retort needs from the text. Spans are offsets into the parsed text. */
struct sqlite_coldef {
	size_t off, len;           /* the whole column definition */
	char *name;                /* unquoted */
	char *collation;           /* normalized, or NULL */
	char *generated;           /* normalized expression, or NULL */
	bool stored;
	bool autoincrement;
};
struct sqlite_condef {
	enum schema_con_kind kind; /* PRIMARY, UNIQUE, CHECK, FOREIGN */
	char *name;                /* CONSTRAINT name, or NULL */
	char **cols;               /* PRIMARY, UNIQUE, FOREIGN: the columns */
	uint32_t ncols;
	char *check;               /* CHECK: the normalized expression */
	char *ref_table;           /* FOREIGN */
	char *deferrable;          /* FOREIGN: " DEFERRABLE…" suffix, or NULL */
};
struct sqlite_tabledef {
	char *name;
	struct sqlite_coldef *cols;
	uint32_t ncols;
	struct sqlite_condef *cons;   /* column and table constraints, in order */
	uint32_t ncons;
	char *options;             /* "strict", "without rowid", … or NULL */
	bool on_conflict;          /* an ON CONFLICT clause (not modelled) */
	/* The spans to replace to rename the table and what it references:
	 * the table's own name, and each REFERENCES target. */
	size_t name_off, name_len;
	size_t *ref_off, *ref_len;
	uint32_t nrefs;
};
/* Parses a CREATE TABLE statement. RT_EFAIL with a reason when the text
 * is not one retort can read. Free with sqlite_tabledef_free. */
int sqlite_parse_table(const char *sql, struct sqlite_tabledef *out, char **err);
void sqlite_tabledef_free(struct sqlite_tabledef *t);

/* The normalized text of a CREATE INDEX, VIEW or TRIGGER statement from
 * the token after the object's name on (from ON on for an index), and
 * whether it says UNIQUE. NULL when it does not lex. Caller frees. */
char *sqlite_def_after_name(const char *sql, bool index, bool *unique);

/* ---- generating (schema_sql.c: tables and SQLite; schema_sql_pg.c:
 * PostgreSQL's other objects) ---- */

/* How an object of a changes: kept, altered in place, or rebuilt (a type:
 * renamed out of the way, created anew, its columns cast, the old one
 * dropped), dropped and created again, or dropped. */
enum { GEN_KEEP, GEN_ALTER, GEN_REBUILD, GEN_RECREATE, GEN_DROP };

struct gen {
	const struct schema *a, *b;
	enum sql_dialect d;
	struct strbuf out;
	int server_version;        /* PostgreSQL's server_version_num; 0: recent */
	int32_t *ta_b;             /* a table → b table, -1: dropped */
	int32_t *tb_a;             /* b table → a table, -1: new */
	int32_t **con_ab;          /* per a table (matched): its constraints' match */
	int32_t **con_ba;          /* per b table (matched) */
	bool *rebuild;             /* per a table (SQLite) */
	bool *touched;             /* per a table: views and triggers must go */
	bool **fk_drop;            /* per a table (matched), per constraint */
	bool *view_drop, *view_make;
	bool *trig_drop, *trig_make;
	/* PostgreSQL */
	struct strbuf outside;     /* ALTER TYPE … ADD VALUE */
	struct strbuf added;       /* the values they add, as "'value'\n" */
	int32_t *ty_ab, *ty_ba;    /* types matched by name, -1: none */
	unsigned char *ty_how;     /* per a type: GEN_* */
	bool *ty_made;             /* per b type: created by the script */
	bool *ty_force;            /* per a type: an enum rebuilt, not added to */
	bool *ty_adds;             /* per a type: an enum that gains values */
	bool uses_added;           /* a column is cast to an enum that gains values */
	int32_t *fn_ab, *fn_ba;    /* functions matched by signature */
	unsigned char *fn_how;     /* per a function: GEN_* */
	bool *pol_drop, *pol_make;
};

/* Output: a statement's text, a "-- review:" line, a statement built of
 * fmt with each %s a name to quote. */
void gen_stmt_end(struct gen *g, struct strbuf *sb);
void gen_review(struct gen *g, const char *fmt, ...) RT_PRINTF(2, 3);
void gen_stmt_names(struct gen *g, const char *fmt, ...);
void gen_stmt_text(struct gen *g, const char *sql);

/* A column (a table's, or a composite's attribute) whose type is a type
 * rebuilt by the script, or an array of one. */
bool gen_col_rebuilt(const struct gen *g, const struct schema_column *c);
/* Whether SQL text names a type rebuilt by the script, or a function
 * dropped and created again. */
bool gen_mentions_rebuilt(const struct gen *g, const char *sql);
/* "::text" (or "::text[]") when a column of this type in a must go
 * through its text to be cast to another type (an enum, a composite type,
 * a type that is rebuilt), else "". */
const char *gen_cast_via_text(const struct gen *g, const char *type);
/* The type names an enum of a that gains values in the script. */
bool gen_type_gains_values(const struct gen *g, const char *type);
/* The function of a named "name(args)" is dropped and created again. */
bool gen_func_recreated(const struct gen *g, const char *sig);

/* schema_sql_pg.c: planning (after the tables are paired), and the
 * statements of each phase of the PostgreSQL script. */
void pg_plan_objects(struct gen *g);
void pg_plan_policies(struct gen *g);
void pg_free_plan(struct gen *g);
void pg_extensions_create(struct gen *g);
void pg_extensions_drop(struct gen *g);
void pg_policies_drop(struct gen *g);
void pg_policies_make(struct gen *g);
/* early: those made again, and those that go and read tables (before the
 * tables change); else the other ones that go */
void pg_functions_drop(struct gen *g, bool early);
/* phase 0: early functions; 1: late ones the views call; 2: the rest */
void pg_functions_make(struct gen *g, int phase);
void pg_types_prepare(struct gen *g);    /* renames, rebuilt types moved aside */
void pg_types_make(struct gen *g, bool uses_funcs);
/* the old copies of rebuilt types, or the types that go */
void pg_types_finish(struct gen *g, bool rebuilt);
void pg_sequences_disown(struct gen *g);
void pg_sequences_make(struct gen *g);
void pg_sequences_own(struct gen *g);
void pg_sequences_drop(struct gen *g);
void pg_table_extras(struct gen *g, const struct schema_table *ta,
                     const struct schema_table *tb);
void pg_grants_and_comments(struct gen *g);
/* a with each enum's values as b has them once the values b adds are
 * added and before b's renames: where ALTER TYPE … ADD VALUE alone leads.
 * A shallow copy: it and its types array live in keep; the rest is a's. */
struct schema *pg_enum_mid(const struct schema *a, const struct schema *b, struct arena *keep);

#endif
