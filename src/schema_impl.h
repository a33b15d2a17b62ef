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

#endif
