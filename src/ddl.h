/* ddl.h: the column definitions and table constraints of CREATE TABLE
 * (and of ALTER TABLE … ADD COLUMN), read from a statement's tokens
 * (sqltoks.h) into a plain description: which clauses each column has and
 * where they are. The one reading of a column definition, for lint
 * (lint.c) and for SQLite's stored CREATE TABLE (schema_parse.c); what
 * each makes of the text between the positions is its own.
 *
 * Positions are indexes into the token array read; DDL_NONE is none. */
#ifndef RT_DDL_H
#define RT_DDL_H

#include <stdbool.h>
#include <stdint.h>

#include "schema.h"
#include "sqltoks.h"

#define DDL_NONE UINT32_MAX

/* How strictly to read. DDL_SCRIPT: a migration script of either dialect
 * (lint): what is not understood is passed over, and LIKE and EXCLUDE
 * (PostgreSQL's) start table elements. DDL_SQLITE: SQLite's grammar, as its
 * catalog stores CREATE TABLE: what is not understood stops the reading
 * with a problem (struct ddl_table's what and bad). */
enum ddl_mode { DDL_SCRIPT, DDL_SQLITE };

/* A constraint: a clause of a column definition, or a table constraint. */
struct ddl_con {
	enum schema_con_kind kind; /* PRIMARY, UNIQUE, CHECK, FOREIGN, EXCLUDE */
	uint32_t name;             /* CONSTRAINT's name, or DDL_NONE */
	/* the columns it is on: ncols entries of ddl_table.names from cols
	 * (a column's own constraint: the column's name) */
	uint32_t cols, ncols;
	uint32_t expr, expr_end;   /* CHECK: the expression in its parentheses */
	uint32_t ref, ref_end;     /* FOREIGN: the referenced [schema.]table */
	bool deferred;             /* FOREIGN: DEFERRABLE INITIALLY DEFERRED */
};

struct ddl_column {
	uint32_t at, end;          /* the whole definition: tokens [at, end) */
	uint32_t name_end;         /* past its name ([schema.]…name, as written) */
	uint32_t type, type_end;   /* its type, tokens [type, type_end); may be empty */
	bool not_null;
	uint32_t dflt, dflt_end;   /* DEFAULT's expression, or dflt DDL_NONE */
	uint32_t collate;          /* COLLATE's name, or DDL_NONE */
	/* GENERATED ALWAYS AS (…) or AS (…), and gen, gen_end the expression
	 * in its parentheses (DDL_NONE when there are none); or an identity
	 * (GENERATED … AS IDENTITY) */
	bool generated, stored, identity;
	uint32_t gen, gen_end;
	bool autoincrement;        /* PRIMARY KEY … AUTOINCREMENT */
	uint32_t cons, ncons;      /* its constraints: ddl_table.cons[cons …] */
};

/* A table element: a column definition, a table constraint, or (in
 * scripts) LIKE another table. */
enum ddl_elem_kind { DDL_COLUMN, DDL_CONSTRAINT, DDL_LIKE };
struct ddl_elem {
	enum ddl_elem_kind kind;
	uint32_t at, end;          /* tokens [at, end) */
	uint32_t index;            /* DDL_COLUMN: into cols; DDL_CONSTRAINT: cons or DDL_NONE */
};

/* What was read; arrays owned (ddl_table_free), reused by the next read. */
struct ddl_table {
	const struct sqltok *v;
	uint32_t n;
	enum ddl_mode mode;
	struct ddl_elem *elems;
	uint32_t nelems, elems_cap;
	struct ddl_column *cols;
	uint32_t ncols, cols_cap;
	struct ddl_con *cons;      /* columns' and table constraints, in order */
	uint32_t ncons, cons_cap;
	uint32_t *names;           /* the constraints' column names (tokens) */
	uint32_t nnames, names_cap;
	uint32_t end;              /* past what was read */
	bool on_conflict;          /* an ON CONFLICT clause (SQLite) */
	/* The first thing not understood: what was expected, and the token
	 * (n: the end of the text); what is NULL when all was. */
	const char *what;
	uint32_t bad;
};

/* Reads the element list "( element, … )" whose parenthesis is v[open]
 * (of n) into t (emptied first). False when DDL_SQLITE met a problem. */
bool ddl_table_read(struct ddl_table *t, const struct sqltok *v, uint32_t n,
                    uint32_t open, enum ddl_mode mode);
/* Reads one column definition, tokens [a, b), into t (emptied first), as
 * ADD COLUMN has it; false when v[a] is not a name. */
bool ddl_column_read(struct ddl_table *t, const struct sqltok *v, uint32_t n,
                     uint32_t a, uint32_t b, enum ddl_mode mode);
void ddl_table_free(struct ddl_table *t);

/* Whether column c has a constraint of kind. */
bool ddl_column_has(const struct ddl_table *t, const struct ddl_column *c,
                    enum schema_con_kind kind);

#endif
