/* schema.h: a database's schema as one model, the differences between two
 * models, and the SQL that turns one into the other (retort(1): `revision
 * --autogenerate` and the drift that `check` reports).
 *
 * A model holds tables (columns with type, nullability, default, collation,
 * generated and identity columns), their primary key, unique, check,
 * exclusion and foreign-key constraints, indexes (partial and expression
 * indexes included), views and triggers; on PostgreSQL also enums, domains
 * and composite types, sequences, functions and procedures, extensions,
 * materialized views, partitioned tables and their partitions, row-level
 * security and its policies, the grants on those objects and their
 * comments. It is read from a connected database by schema_read, so that
 * the server itself has parsed the SQL: a declarative schema.sql, or the
 * history of migrations, is first applied to a scratch database of the
 * same backend (schema_load_sql, schema_load_migrations). retort's version
 * and history tables are never part of a model. lint (lint.c) keeps
 * what the scripts it reads make (tables, columns, indexes) in the same
 * types.
 *
 * What a model does not hold is neither compared nor generated; what of it
 * the database has is named in the model's `uncompared` list, so that
 * check can say so (see retort(1), "Autogenerate and drift").
 *
 * Ownership: a struct schema owns everything reachable from it (strings in
 * its arena, arrays malloc'd); schema_free releases it all. Pointers to
 * tables, columns and constraints stay valid until the next schema_add_*
 * call on the same array. */
#ifndef RT_SCHEMA_H
#define RT_SCHEMA_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "sqllex.h"
#include "util.h"

struct graph;

struct schema_column {
	const char *name;
	/* PostgreSQL: format_type(); SQLite: the declared type, normalized
	 * (schema_norm_sql), "" when none. */
	const char *type;
	bool notnull;
	const char *dflt;          /* DEFAULT expression, or NULL */
	const char *collation;     /* NULL: the type's default */
	const char *generated;     /* GENERATED ALWAYS AS (this), or NULL */
	bool stored;               /* a generated column: STORED, else VIRTUAL */
	char identity;             /* PostgreSQL: 'a' ALWAYS, 'd' BY DEFAULT, 0 */
	/* PostgreSQL serial: type is integer, bigint or smallint, dflt is NULL
	 * and sequence names the owned sequence (not compared). */
	bool serial;
	const char *sequence;
	/* SQLite: the column's definition as written in CREATE TABLE (for
	 * ADD COLUMN); NULL for PostgreSQL. Not compared. */
	const char *sql;
	const char *comment;       /* COMMENT ON COLUMN, or NULL */
};

/* A privilege granted on an object to a role other than its owner (the
 * owner's own are not compared). An object that has never been granted
 * anything holds its kind's defaults (EXECUTE on a function and USAGE on a
 * type to PUBLIC). */
struct schema_grant {
	const char *grantee;       /* a role as an identifier, or PUBLIC */
	const char *privilege;     /* "SELECT", "EXECUTE", "UPDATE (email)" */
	bool grantable;            /* WITH GRANT OPTION */
};

/* Sorted by privilege, then grantee (schema_sort). */
struct schema_grants {
	struct schema_grant *v;
	uint32_t n;
};

#define SCHEMA_CON_KINDS(X)                 \
	X(SCHEMA_PRIMARY, "primary key")         \
	X(SCHEMA_UNIQUE, "unique constraint")    \
	X(SCHEMA_EXCLUDE, "exclusion constraint") \
	X(SCHEMA_CHECK, "check constraint")      \
	X(SCHEMA_FOREIGN, "foreign key")

enum schema_con_kind {
#define SCHEMA_X(name, text) name,
	SCHEMA_CON_KINDS(SCHEMA_X)
#undef SCHEMA_X
};

struct schema_constraint {
	enum schema_con_kind kind;
	const char *name;          /* NULL: unnamed (SQLite) */
	/* The compared definition: pg_get_constraintdef() on PostgreSQL, the
	 * same shape built from the catalog on SQLite ("UNIQUE (email)",
	 * "FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE"). */
	const char *def;
	const char **cols;         /* the columns it uses, in key order */
	uint32_t ncols;
	const char *ref_table;     /* FOREIGN: the referenced table */
	/* FOREIGN: "NO ACTION", "RESTRICT", "CASCADE", "SET NULL" or
	 * "SET DEFAULT". */
	const char *on_delete;
};

struct schema_table {
	const char *name;
	struct schema_column *cols;
	uint32_t ncols;
	struct schema_constraint *cons;
	uint32_t ncons;
	/* SQLite: "strict", "without rowid"; PostgreSQL: "unlogged"; NULL */
	const char *options;
	const char *sql;           /* SQLite: CREATE TABLE as stored; else NULL */
	uint32_t cols_cap, cons_cap;
	/* PostgreSQL */
	const char *comment;
	struct schema_grants grants;
	bool rls, rls_forced;      /* ROW LEVEL SECURITY enabled, forced */
	const char *partition_by;  /* a partitioned table: "RANGE (at)" */
	/* a partition: its parent and "FOR VALUES …" or "DEFAULT"; its
	 * columns, and what it inherits from the parent, are the parent's
	 * and not in the model */
	const char *parent;
	const char *bound;
};

struct schema_index {
	const char *name;
	const char *table;
	bool unique;
	/* The compared definition: from USING on (pg_get_indexdef) on
	 * PostgreSQL, the normalized statement from ON on for SQLite. */
	const char *def;
	const char *sql;           /* the statement that creates it */
	const char **cols;         /* columns it uses (in expressions and the
	                              predicate too, as far as known) */
	uint32_t ncols;
};

struct schema_view {
	const char *name;
	const char *def;           /* compared: pg_get_viewdef() or normalized */
	const char *sql;           /* CREATE VIEW */
	const char **deps;         /* the tables and views it reads */
	uint32_t ndeps;
	/* PostgreSQL */
	bool materialized;         /* its indexes are in the model's indexes */
	const char **funcs;        /* the functions it calls, as "name(args)" */
	uint32_t nfuncs;
	const char *comment;
	struct schema_grants grants;
};

struct schema_trigger {
	const char *name;
	const char *table;         /* the table or view it is on */
	const char *def;           /* compared: pg_get_triggerdef() or normalized */
	const char *sql;           /* CREATE TRIGGER */
	const char **deps;         /* SQLite: the tables and views its body names */
	uint32_t ndeps;
	const char *func;          /* PostgreSQL: its function, "name(args)" */
};

/* PostgreSQL types of the schema: enums, domains and composite types
 * (range and base types are not modelled). */
enum schema_type_kind { SCHEMA_ENUM = 'e', SCHEMA_DOMAIN = 'd', SCHEMA_COMPOSITE = 'c' };

struct schema_type {
	const char *name;
	char kind;                 /* enum schema_type_kind */
	const char *ref;           /* how a column's type names it (format_type) */
	const char **labels;       /* enum: its values in their order */
	uint32_t nlabels;
	/* domain: its base type, default, collation (NULL: the base type's),
	 * NOT NULL, and CHECK constraints */
	const char *base, *dflt, *collation;
	bool notnull;
	struct schema_constraint *cons;
	uint32_t ncons, cons_cap;
	/* domain: a check or default calls a function of the schema */
	bool uses_funcs;
	/* composite: its attributes (name, type, collation) */
	struct schema_column *attrs;
	uint32_t nattrs, attrs_cap;
	const char *comment;
	struct schema_grants grants;
};

/* A sequence that is not a serial column's or an identity's. */
struct schema_sequence {
	const char *name;
	/* compared: "AS bigint INCREMENT BY 1 MINVALUE 1 MAXVALUE …
	 * START WITH 1 CACHE 1 NO CYCLE" (not its current value) */
	const char *def;
	const char *owned_table, *owned_column;   /* OWNED BY, or NULL */
	const char *comment;
	struct schema_grants grants;
};

/* A function or procedure, identified by its name and argument types. */
struct schema_function {
	const char *name;
	const char *args;          /* pg_get_function_identity_arguments */
	const char *sig;           /* name(args), the name quoted as needed */
	char kind;                 /* 'f' function (or window), 'p' procedure */
	const char *result;        /* pg_get_function_result; NULL: procedure */
	const char *arguments;     /* with names and defaults */
	/* compared: pg_get_functiondef() without the schema before the name;
	 * also the statement that creates or replaces it */
	const char *def;
	/* created before the tables: it reads no table or row type and is
	 * not LANGUAGE sql, or a table's default, check or index uses it */
	bool early;
	const char **deps;         /* the tables and views it is known to read */
	uint32_t ndeps;
	const char *comment;
	struct schema_grants grants;
};

struct schema_extension {
	const char *name;
	const char *schema;        /* NULL: the schema read; else where it lives */
};

/* A row-level security policy. */
struct schema_policy {
	const char *name;
	const char *table;
	/* compared: "AS PERMISSIVE FOR SELECT TO PUBLIC USING (…)" */
	const char *def;
	const char *sql;           /* CREATE POLICY */
};

struct schema {
	enum sql_dialect dialect;
	struct schema_table *tables;
	uint32_t ntables, tables_cap;
	struct schema_index *indexes;
	uint32_t nindexes, indexes_cap;
	struct schema_view *views;
	uint32_t nviews, views_cap;
	struct schema_trigger *triggers;
	uint32_t ntriggers, triggers_cap;
	struct schema_type *types;
	uint32_t ntypes, types_cap;
	struct schema_sequence *sequences;
	uint32_t nsequences, sequences_cap;
	struct schema_function *functions;
	uint32_t nfunctions, functions_cap;
	struct schema_extension *extensions;
	uint32_t nextensions, extensions_cap;
	struct schema_policy *policies;
	uint32_t npolicies, policies_cap;
	/* What the database holds that the model does not: "KIND NAME"
	 * ("range type floatrange", "virtual table docs"), in name order.
	 * Such objects are neither compared nor generated. */
	const char **uncompared;
	uint32_t nuncompared, uncompared_cap;
	struct arena arena;
};

/* ---- building a model (schema_read uses these; so can tests) ---- */

/* Caller frees with schema_free. */
struct schema *schema_new(enum sql_dialect dialect);
void schema_free(struct schema *s);
/* The add functions copy every string into the model. Lists (cols, deps)
 * are given as a count and an array. */
struct schema_table *schema_add_table(struct schema *s, const char *name);
struct schema_column *schema_add_column(struct schema *s, struct schema_table *t,
                                        const char *name, const char *type,
                                        bool notnull, const char *dflt);
struct schema_constraint *schema_add_constraint(struct schema *s,
                                                struct schema_table *t,
                                                enum schema_con_kind kind,
                                                const char *name, const char *def,
                                                const char *const *cols,
                                                uint32_t ncols);
struct schema_index *schema_add_index(struct schema *s, const char *table,
                                      const char *name, bool unique,
                                      const char *def, const char *sql,
                                      const char *const *cols, uint32_t ncols);
struct schema_view *schema_add_view(struct schema *s, const char *name,
                                    const char *def, const char *sql,
                                    const char *const *deps, uint32_t ndeps);
struct schema_trigger *schema_add_trigger(struct schema *s, const char *table,
                                          const char *name, const char *def,
                                          const char *sql,
                                          const char *const *deps, uint32_t ndeps);
struct schema_type *schema_add_type(struct schema *s, const char *name, char kind,
                                    const char *ref);
/* Enum values, in their order. */
void schema_set_labels(struct schema *s, struct schema_type *t,
                       const char *const *labels, uint32_t n);
struct schema_constraint *schema_add_domain_check(struct schema *s, struct schema_type *t,
                                                  const char *name, const char *def);
struct schema_column *schema_add_attribute(struct schema *s, struct schema_type *t,
                                           const char *name, const char *type);
struct schema_sequence *schema_add_sequence(struct schema *s, const char *name,
                                            const char *def);
struct schema_function *schema_add_function(struct schema *s, const char *name,
                                            const char *args, char kind,
                                            const char *result, const char *arguments,
                                            const char *def);
struct schema_extension *schema_add_extension(struct schema *s, const char *name,
                                              const char *schema);
struct schema_policy *schema_add_policy(struct schema *s, const char *table,
                                        const char *name, const char *def);
/* Grants (copied; the list replaces what was there). */
void schema_set_grants(struct schema *s, struct schema_grants *g,
                       const struct schema_grant *v, uint32_t n);
void schema_add_uncompared(struct schema *s, const char *what);
/* A string copied into the model's arena (NULL stays NULL). */
const char *schema_str(struct schema *s, const char *str);
/* A list of strings copied into the model's arena. */
const char **schema_strs(struct schema *s, const char *const *v, uint32_t n);
/* Sorts every list by name, so that every listing and every generated
 * script is deterministic. */
void schema_sort(struct schema *s);

struct schema_table *schema_find_table(const struct schema *s, const char *name);
struct schema_view *schema_find_view(const struct schema *s, const char *name);
struct schema_type *schema_find_type(const struct schema *s, const char *name);
/* Names compare as the dialect does: exactly on PostgreSQL, ignoring
 * ASCII case on SQLite. */
bool schema_name_eq(enum sql_dialect d, const char *a, const char *b);

/* SQL text in a form that compares equal whenever two spellings mean the
 * same on SQLite: comments dropped, keywords and bare identifiers in lower
 * case, quotes dropped from plain identifiers, one space between words and
 * none inside parentheses or before a comma. Caller frees. */
char *schema_norm_sql(const char *sql, size_t len, enum sql_dialect d);

/* Appends name as an identifier, double-quoted only when it must be. */
void schema_quote(struct strbuf *sb, const char *name);

/* ---- reading a database ---- */

/* Reads the schema of a connected database (SQLite or PostgreSQL; on
 * PostgreSQL the first schema of the search path, current_schema()).
 * version_table and retort_history are left out. *out: schema_free.
 * RT_EDB on a database error; RT_EFAIL for a definition retort cannot
 * read exactly (then nothing is returned). */
int schema_read(struct db *db, const char *version_table, struct schema **out,
                char **err);

/* ---- comparing ---- */

enum schema_delta_kind {
	SCHEMA_ADDED,              /* in b only */
	SCHEMA_REMOVED,            /* in a only */
	SCHEMA_CHANGED,            /* in both, differing in `what` */
};

#define SCHEMA_OBJS(X)                           \
	X(SCHEMA_TABLE, "table")                      \
	X(SCHEMA_COLUMN, "column")                    \
	X(SCHEMA_CONSTRAINT, "constraint")            \
	X(SCHEMA_INDEX, "index")                      \
	X(SCHEMA_VIEW, "view")                        \
	X(SCHEMA_MATVIEW, "materialized view")        \
	X(SCHEMA_TRIGGER, "trigger")                  \
	X(SCHEMA_TYPE, "type")                        \
	X(SCHEMA_SEQUENCE, "sequence")                \
	X(SCHEMA_FUNCTION, "function")                \
	X(SCHEMA_EXTENSION, "extension")              \
	X(SCHEMA_POLICY, "policy")

enum schema_obj {
#define SCHEMA_X(name, text) name,
	SCHEMA_OBJS(SCHEMA_X)
#undef SCHEMA_X
};

struct schema_delta {
	enum schema_delta_kind kind;
	enum schema_obj obj;
	enum schema_con_kind con_kind;  /* SCHEMA_CONSTRAINT */
	/* the table of a column, constraint, index, trigger or policy */
	const char *table;
	/* NULL for an unnamed constraint; a function's is "name(args)" */
	const char *name;
	const char *what;          /* CHANGED: "type", "nullability", "default",
	                              "collation", "generated", "identity",
	                              "definition", "name", "options",
	                              "values", "owned by", "comment",
	                              "grants", "row security",
	                              "partition" */
	const char *in_a, *in_b;   /* what each side has, for a reader */
};

struct schema_deltas {
	struct schema_delta *v;
	uint32_t n, cap;
	struct arena arena;        /* owns the strings */
};
void schema_deltas_free(struct schema_deltas *d);

/* Every difference between a and b (same dialect): extensions, types,
 * sequences, functions, tables in name order (each with its columns,
 * constraints, indexes and policies), then views, then triggers. d is
 * initialized by the call. */
void schema_diff(const struct schema *a, const struct schema *b,
                 struct schema_deltas *d);

/* One line per difference (no trailing newline):
 * "drift: column users.email: type text in the database, varchar(200)
 * from the migrations", with a_label = "in the database" and
 * b_label = "from the migrations". schema_delta_text: the same without
 * "drift: ". */
void schema_delta_line(const struct schema_delta *x, const char *a_label,
                       const char *b_label, struct strbuf *out);
void schema_delta_text(const struct schema_delta *x, const char *a_label,
                       const char *b_label, struct strbuf *out);

/* ---- generating SQL ---- */

/* The statements that turn a database whose schema is `from` into `to`
 * (same dialect), each ending in ";\n", in dependency order; what a human
 * must look at is marked by "-- review:" comments before the statement.
 * SQLite changes that ALTER TABLE cannot make rebuild the table (create,
 * copy, drop, rename, recreate indexes) inside the migration's
 * transaction. Renames are never guessed: a drop and an add, with a
 * review comment (an enum value that another takes the place of is
 * renamed, under one). An enum value the script both adds and uses is
 * made by rebuilding the type, so that it all runs in one transaction.
 * Empty when the schemas are the same. Caller frees. */
char *schema_sql(const struct schema *from, const struct schema *to);

/* The script from `from` to `to` as revision --autogenerate writes it:
 * like schema_sql, and on PostgreSQL, when the upgrade uses an enum value
 * that it adds (or the server, server_version_num, is older than 12),
 * ALTER TYPE … ADD VALUE in a step of its own before it, run outside any
 * transaction: PostgreSQL cannot use a value in the transaction that adds
 * it. That step's downgrade removes the values again (a rebuild, in one
 * statement). */
struct schema_migration {
	char *upgrade, *downgrade;         /* the step in a transaction */
	char *pre_upgrade, *pre_downgrade; /* NULL, or the step outside one */
};
void schema_migration(const struct schema *from, const struct schema *to, int server_version,
                      struct schema_migration *m);
void schema_migration_free(struct schema_migration *m);

/* ---- scratch databases and the commands ---- */

/* The live database a replay or a comparison works beside: scratch
 * databases are made on its backend (PostgreSQL: on its server, from its
 * connection's conninfo). All borrowed. */
struct schema_live {
	struct db *db;               /* connected */
	const struct db_url *url;    /* its URL: display names it in errors */
	const char *version_table;   /* retort's tables, left out of every model */
};

/* Applies sql (statements split by sqllex_split) to a scratch database of
 * the backend of lv (SQLite: in memory; PostgreSQL: a temporary
 * database, dropped again whatever happens) and reads its schema.
 * origin names the text in errors ("migrations/schema.sql:12: …").
 * A statement that would act beyond the scratch database (sqlscope.h:
 * roles, tablespaces, databases, …) is never run there: it is left out,
 * with a line "FILE:LINE: not replayed on the scratch database: KIND acts
 * on WHAT" appended to skipped (which may be NULL). */
int schema_load_sql(const struct schema_live *lv, const char *sql, const char *origin,
                    struct strbuf *skipped, struct schema **out, char **err);

/* Applies the migrations of g up to heads (revision ids; n = 0 for none)
 * to a scratch database through the engine and reads its schema; skipped
 * as for schema_load_sql. */
int schema_load_migrations(const struct schema_live *lv, const struct graph *g,
                           const char *const *heads, uint32_t n, struct strbuf *skipped,
                           struct schema **out, char **err);

/* Drift (retort(1) `check`) as a value: the differences between the live
 * database (side a of each delta) and the schema the applied migrations
 * produce, then those between it and the declared schema. */
struct schema_drift_result {
	struct schema_deltas migrations;  /* empty when they were not replayed */
	struct schema_deltas declared;    /* empty without a declared schema */
	char *declared_label;             /* "from FILE", or NULL (owned) */
	uint32_t count;                   /* migrations.n + declared.n */
	/* The schemas compared, which the differences point into (owned). */
	struct schema *live, *mig, *target;
};
void schema_drift_result_free(struct schema_drift_result *r);
/* The i-th difference (i < r->count, the migrations' first); *against:
 * what the database is compared with ("from the migrations", "from
 * FILE"), borrowed from r or static. */
const struct schema_delta *schema_drift_at(const struct schema_drift_result *r, uint32_t i,
                                           const char **against);
/* Every difference, a "drift: …" line each (schema_delta_line). */
void schema_drift_lines(const struct schema_drift_result *r, struct strbuf *out);

/* Compares the live database with the schema the applied migrations of g
 * produce and, when schema_path (the configured `schema`) is not NULL,
 * with it; fills *out (initialized by the call, free with
 * schema_drift_result_free, also on failure). The statements the replays
 * left out go to skipped (may be NULL), as for schema_load_sql; what the
 * schemas hold that is not compared goes to uncompared (may be NULL), a
 * line each, "not compared: KIND NAME (in the database, from the
 * migrations, from FILE)". Skips the migrations when the database is at a
 * revision no script defines, or when another tool runs them. */
int schema_drift(const struct schema_live *lv, const struct graph *g, const char *schema_path,
                 struct schema_drift_result *out, struct strbuf *skipped,
                 struct strbuf *uncompared, char **err);

/* revision --autogenerate: checks that the database's version rows
 * (heads, n) are exactly the revisions `base` (the new revision's
 * parents), then fills *out with the SQL that brings it to the schema
 * declared in schema_path and back, for the server's version
 * (schema_migration; free with schema_migration_free). skipped: as for
 * schema_load_sql. RT_EFAIL when the database is elsewhere. */
int schema_autogenerate(const struct schema_live *lv, const char *const *heads, uint32_t n,
                        const char *const *base, uint32_t nbase, const char *schema_path,
                        struct strbuf *skipped, struct schema_migration *out, char **err);

#endif
