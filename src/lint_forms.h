/* lint_forms.h: what each PostgreSQL statement form does to the tables it
 * touches: the lock it takes, whether it reads or rewrites every row,
 * whether it can run inside a transaction, since which version, and the
 * form to use instead. The lint rules that read PostgreSQL scripts are
 * driven by this table, and docs/lint.md's lock table is rendered from it
 * (lint_forms_markdown), so the rules and the documentation are one list.
 *
 * Sources: PostgreSQL's documentation (ALTER TABLE and its notes, the
 * "Explicit Locking" chapter, and the pages of each command), and
 * measurements on PostgreSQL 15: the locks the statement holds in
 * pg_locks, a rewrite as a new relfilenode, a scan in
 * pg_stat_xact_user_tables (tests/cli/lint_pg.sh repeats them). */
#ifndef RT_LINT_FORMS_H
#define RT_LINT_FORMS_H

#include <stdbool.h>

#include "lint.h"
#include "util.h"

/* Table lock modes, weakest first (PostgreSQL's order). */
enum lint_lock {
	LOCK_NONE, LOCK_ACCESS_SHARE, LOCK_ROW_SHARE, LOCK_ROW_EXCLUSIVE,
	LOCK_SHARE_UPDATE_EXCLUSIVE, LOCK_SHARE, LOCK_SHARE_ROW_EXCLUSIVE,
	LOCK_EXCLUSIVE, LOCK_ACCESS_EXCLUSIVE,
};

/* What the statement does to the rows, for as long as it holds its lock. */
enum lint_effect {
	EFFECT_CATALOG,            /* a catalog change: the lock is brief */
	EFFECT_SCAN,               /* reads every row under the lock */
	EFFECT_BUILD,              /* reads every row to build an index */
	EFFECT_REWRITE,            /* writes a new copy of the table */
	EFFECT_DATA,               /* deletes or changes rows */
	EFFECT_FAILS,              /* fails inside a transaction block */
};

/* How the table's examples run (tests and the measurement). */
enum {
	FORM_SAFE_NOTXN = 1,       /* the safe form runs with Transaction: none */
	FORM_UNMEASURED = 2,       /* the example shows nothing on a scratch server
	                              (another tablespace, access method, time zone) */
};

/* Rows with no rule: lint stays silent on them. */
#define LINT_SAFE LINT_NRULES

/* X(name, statement form, lock, effect, rule, pattern, example, safe form,
 *   flags, versions and conditions, safe alternative)
 *
 * pattern: how the generic rules recognise the form, or NULL when a rule
 * of lint.c that knows more (the schema the scripts build, NOT VALID,
 * created tables) reports it. Words are keywords; `_` is a name (the first
 * one is the object the message names); `a|b` either word; `w?` optional;
 * `*` any tokens; `!w` the word appears nowhere; `$` the end; `;` separates
 * alternatives. A pattern starting with `@` matches one action of ALTER
 * TABLE.
 *
 * example: a statement of the form, linted after LINT_FORMS_FIXTURE; the
 * rule must flag it (a row with LINT_SAFE: nothing does). safe form: the
 * alternative, which the rule must not flag ("" when there is none in SQL). */
#define LINT_FORM_LIST(X)                                                       \
	/* ---- ALTER TABLE: columns ---- */                                         \
	X(FORM_ADD_COLUMN, "ALTER TABLE … ADD COLUMN, no default or a constant or stable one (now())", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,                    \
	  "ALTER TABLE t ADD COLUMN c1 timestamptz NOT NULL DEFAULT now()", "", 0,   \
	  "11: the default is stored in the catalog; before 11 any non-null default rewrote the table", \
	  "")                                                                        \
	X(FORM_ADD_COLUMN_VOLATILE, "ALTER TABLE … ADD COLUMN … DEFAULT volatile() (random(), clock_timestamp(), gen_random_uuid(), nextval())", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_REWRITE, LINT_VOLATILE_DEFAULT, NULL,        \
	  "ALTER TABLE t ADD COLUMN c1 uuid DEFAULT gen_random_uuid()",              \
	  "ALTER TABLE t ADD COLUMN c1 uuid", 0,                                     \
	  "every version: each row needs its own value",                             \
	  "add the column without the default, SET DEFAULT, backfill in batches")    \
	X(FORM_ADD_COLUMN_SERIAL, "ALTER TABLE … ADD COLUMN serial, bigserial, or GENERATED … AS IDENTITY", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_REWRITE, LINT_VOLATILE_DEFAULT, NULL,        \
	  "ALTER TABLE t ADD COLUMN c1 bigserial", "ALTER TABLE t ADD COLUMN c1 bigint", 0, \
	  "every version: each row takes a value of the sequence",                   \
	  "add a plain column, give it a sequence default, backfill in batches")     \
	X(FORM_ADD_COLUMN_STORED, "ALTER TABLE … ADD COLUMN … GENERATED ALWAYS AS (…) STORED", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_REWRITE, LINT_VOLATILE_DEFAULT, NULL,        \
	  "ALTER TABLE t ADD COLUMN c1 int GENERATED ALWAYS AS (a + 1) STORED",      \
	  "ALTER TABLE t ADD COLUMN c1 int", 0,                                      \
	  "12: generated columns; each row's value is computed and stored",          \
	  "add a plain column filled by the code or a trigger, backfill in batches") \
	X(FORM_ADD_COLUMN_DOMAIN, "ALTER TABLE … ADD COLUMN of a domain type with a CHECK or NOT NULL constraint", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_REWRITE, LINT_TABLE_REWRITE, NULL,           \
	  "ALTER TABLE t ADD COLUMN c1 pos", "ALTER TABLE t ADD COLUMN c1 int", 0,   \
	  "measured on 15: a rewrite even with a constant default; lint knows the domains the scripts create", \
	  "add the column with the base type and a CHECK … NOT VALID, VALIDATE it later") \
	X(FORM_ADD_COLUMN_CHECK, "ALTER TABLE … ADD COLUMN … CHECK (…)",             \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_SCAN, LINT_ADD_CHECK, NULL,                  \
	  "ALTER TABLE t ADD COLUMN c1 int CHECK (c1 > 0)",                          \
	  "ALTER TABLE t ADD COLUMN c1 int, ADD CONSTRAINT c1_pos CHECK (c1 > 0) NOT VALID", 0, \
	  "every version: the check runs on every existing row",                     \
	  "add the column, then the CHECK … NOT VALID, VALIDATE it in a later revision") \
	X(FORM_ADD_COLUMN_FK, "ALTER TABLE … ADD COLUMN … DEFAULT x REFERENCES …",   \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_SCAN, LINT_ADD_FOREIGN_KEY, NULL,            \
	  "ALTER TABLE u ADD COLUMN c1 int DEFAULT 1 REFERENCES t",                  \
	  "ALTER TABLE u ADD COLUMN c1 int REFERENCES t", 0,                         \
	  "on the altered table, SHARE ROW EXCLUSIVE on the referenced one, while both are read; without a default the new column is all NULL and nothing is checked", \
	  "add the column without a default; or the key NOT VALID, VALIDATE it later") \
	X(FORM_ADD_COLUMN_UNIQUE, "ALTER TABLE … ADD COLUMN … UNIQUE or PRIMARY KEY", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_BUILD, LINT_ADD_UNIQUE, NULL,                \
	  "ALTER TABLE t ADD COLUMN c1 int UNIQUE", "ALTER TABLE t ADD COLUMN c1 int", 0, \
	  "every version",                                                           \
	  "add the column, CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX") \
	X(FORM_DROP_COLUMN, "ALTER TABLE … DROP COLUMN",                             \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_DATA, LINT_DROP_COLUMN, NULL,                \
	  "ALTER TABLE t DROP COLUMN b", "", 0,                                      \
	  "the column's data is gone; the space is reclaimed as rows are rewritten later", \
	  "stop using the column, back it up, drop it in a later revision")          \
	X(FORM_TYPE_REWRITE, "ALTER TABLE … ALTER COLUMN … TYPE, not binary-compatible (integer to bigint, … USING)", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_REWRITE, LINT_TYPE_CHANGE, NULL,             \
	  "ALTER TABLE t ALTER COLUMN a TYPE bigint", "ALTER TABLE t ADD COLUMN a_new bigint", 0, \
	  "every version: the table and all its indexes are rewritten",              \
	  "add a new column, backfill it in batches, switch the code, drop the old one") \
	X(FORM_TYPE_NARROW, "ALTER TABLE … ALTER COLUMN … TYPE narrower (shorter varchar, smaller integer, fewer digits)", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_REWRITE, LINT_TYPE_NARROWING, NULL,          \
	  "ALTER TABLE t ALTER COLUMN v TYPE varchar(10)",                           \
	  "ALTER TABLE t ADD CONSTRAINT v_len CHECK (length(v) <= 10) NOT VALID", 0, \
	  "every version; a value that does not fit fails the migration",            \
	  "a CHECK … NOT VALID on the length or range, VALIDATE it later")           \
	X(FORM_TYPE_BINARY, "ALTER TABLE … ALTER COLUMN … TYPE binary-compatible (longer varchar(n), varchar to text, numeric with more precision and the same scale)", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,                    \
	  "ALTER TABLE t ALTER COLUMN v TYPE varchar(40)", "", 0,                    \
	  "9.2: no rewrite, and the indexes are kept", "")                           \
	X(FORM_TYPE_TIMESTAMPTZ, "ALTER TABLE … ALTER COLUMN … TYPE timestamptz, from timestamp", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_REWRITE, LINT_TYPE_CHANGE, NULL,             \
	  "ALTER TABLE t ALTER COLUMN ts TYPE timestamptz",                          \
	  "SET LOCAL TimeZone = 'UTC'; ALTER TABLE t ALTER COLUMN ts TYPE timestamptz", FORM_UNMEASURED, \
	  "12: no rewrite when the session's TimeZone is UTC (indexes on the column are still rebuilt); lint sees a SET TimeZone earlier in the section", \
	  "SET LOCAL TimeZone = 'UTC' before the ALTER")                             \
	X(FORM_SET_DEFAULT, "ALTER TABLE … ALTER COLUMN … SET DEFAULT, DROP DEFAULT", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,                    \
	  "ALTER TABLE t ALTER COLUMN a SET DEFAULT 1", "", 0, "only new rows take the default", "") \
	X(FORM_SET_NOT_NULL, "ALTER TABLE … ALTER COLUMN … SET NOT NULL",            \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_SCAN, LINT_SET_NOT_NULL, NULL,               \
	  "ALTER TABLE t ALTER COLUMN a SET NOT NULL",                               \
	  "ALTER TABLE t ADD CONSTRAINT a_nn CHECK (a IS NOT NULL) NOT VALID", 0,    \
	  "12: no scan when a valid CHECK (col IS NOT NULL) proves it",              \
	  "ADD CHECK (col IS NOT NULL) NOT VALID, VALIDATE it later, then SET NOT NULL") \
	X(FORM_DROP_NOT_NULL, "ALTER TABLE … ALTER COLUMN … DROP NOT NULL",          \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,                    \
	  "ALTER TABLE t ALTER COLUMN nn DROP NOT NULL", "", 0, "", "")              \
	X(FORM_IDENTITY, "ALTER TABLE … ALTER COLUMN … ADD GENERATED … AS IDENTITY, SET GENERATED, RESTART, DROP IDENTITY", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,                    \
	  "ALTER TABLE t ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY", "", 0, \
	  "10: identity columns; the column must already be NOT NULL", "")           \
	X(FORM_DROP_EXPRESSION, "ALTER TABLE … ALTER COLUMN … DROP EXPRESSION",      \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,                    \
	  "ALTER TABLE t ALTER COLUMN g DROP EXPRESSION", "", 0,                     \
	  "13: the stored values stay", "")                                          \
	X(FORM_SET_EXPRESSION, "ALTER TABLE … ALTER COLUMN … SET EXPRESSION AS (…)", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_REWRITE, LINT_TABLE_REWRITE,                 \
	  "@ alter column? _ set expression",                                        \
	  "ALTER TABLE t ALTER COLUMN g SET EXPRESSION AS (id * 3)",                 \
	  "ALTER TABLE t ADD COLUMN g2 int", FORM_UNMEASURED,                        \
	  "17: every stored value is computed again",                                \
	  "add a plain column, backfill it in batches, switch the code")             \
	X(FORM_SET_STATISTICS, "ALTER TABLE … ALTER COLUMN … SET STATISTICS, SET (n_distinct …), RESET (…)", \
	  LOCK_SHARE_UPDATE_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,              \
	  "ALTER TABLE t ALTER COLUMN a SET STATISTICS 500", "", 0, "", "")          \
	X(FORM_SET_STORAGE, "ALTER TABLE … ALTER COLUMN … SET STORAGE, SET COMPRESSION", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,                    \
	  "ALTER TABLE t ALTER COLUMN b SET STORAGE EXTERNAL", "", 0,                \
	  "14: SET COMPRESSION; both apply to values written later", "")             \
	/* ---- ALTER TABLE: constraints ---- */                                     \
	X(FORM_ADD_CHECK, "ALTER TABLE … ADD CONSTRAINT … CHECK (…)",                \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_SCAN, LINT_ADD_CHECK, NULL,                  \
	  "ALTER TABLE t ADD CONSTRAINT a_big CHECK (a < 1000000)",                        \
	  "ALTER TABLE t ADD CONSTRAINT a_big CHECK (a < 1000000) NOT VALID", 0,           \
	  "every version",                                                           \
	  "ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT in a later revision") \
	X(FORM_ADD_FOREIGN_KEY, "ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY",        \
	  LOCK_SHARE_ROW_EXCLUSIVE, EFFECT_SCAN, LINT_ADD_FOREIGN_KEY, NULL,         \
	  "ALTER TABLE u ADD CONSTRAINT u_t FOREIGN KEY (t_id) REFERENCES t",        \
	  "ALTER TABLE u ADD CONSTRAINT u_t FOREIGN KEY (t_id) REFERENCES t NOT VALID", 0, \
	  "on both tables, while both are read",                                     \
	  "ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT in a later revision") \
	X(FORM_VALIDATE_SAME_TXN, "ALTER TABLE … VALIDATE CONSTRAINT in the transaction that added it NOT VALID", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_SCAN, LINT_ADD_CHECK, NULL,                  \
	  "ALTER TABLE t ADD CONSTRAINT a_big CHECK (a < 1000000) NOT VALID; ALTER TABLE t VALIDATE CONSTRAINT a_big", \
	  "ALTER TABLE t ADD CONSTRAINT a_big CHECK (a < 1000000) NOT VALID; ALTER TABLE t VALIDATE CONSTRAINT a_big", \
	  FORM_SAFE_NOTXN,                                                           \
	  "the ADD's lock is held until the transaction ends (a foreign key: add-foreign-key)", \
	  "VALIDATE in a later revision, or in a script with Transaction: none")     \
	X(FORM_VALIDATE, "ALTER TABLE … VALIDATE CONSTRAINT, in a later transaction", \
	  LOCK_SHARE_UPDATE_EXCLUSIVE, EFFECT_SCAN, LINT_SAFE, NULL,                 \
	  "ALTER TABLE t VALIDATE CONSTRAINT a_pos", "", 0,                          \
	  "reads and writes go on; a foreign key takes ROW SHARE on the referenced table", "") \
	X(FORM_ADD_UNIQUE, "ALTER TABLE … ADD CONSTRAINT … UNIQUE, PRIMARY KEY or EXCLUDE", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_BUILD, LINT_ADD_UNIQUE, NULL,                \
	  "ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a)",                         \
	  "ALTER TABLE t ADD CONSTRAINT t_b_key UNIQUE USING INDEX t_b", 0,          \
	  "every version",                                                           \
	  "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX")     \
	X(FORM_ADD_USING_INDEX, "ALTER TABLE … ADD CONSTRAINT … UNIQUE or PRIMARY KEY USING INDEX", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,                    \
	  "ALTER TABLE t ADD CONSTRAINT t_b_key UNIQUE USING INDEX t_b", "", 0,      \
	  "a PRIMARY KEY on columns not yet NOT NULL also sets them NOT NULL, with its scan", "") \
	X(FORM_DROP_CONSTRAINT, "ALTER TABLE … DROP CONSTRAINT, RENAME CONSTRAINT, ALTER CONSTRAINT", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,                    \
	  "ALTER TABLE t DROP CONSTRAINT t_pkey", "", 0, "", "")                     \
	/* ---- ALTER TABLE: the table ---- */                                       \
	X(FORM_SET_TABLESPACE, "ALTER TABLE … SET TABLESPACE",                       \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_REWRITE, LINT_TABLE_REWRITE, "@ set tablespace", \
	  "ALTER TABLE t SET TABLESPACE archive", "", FORM_UNMEASURED,               \
	  "the table's files are copied; its indexes stay where they are",           \
	  "none in SQL: pg_repack --tablespace, outside the migration")              \
	X(FORM_ALL_IN_TABLESPACE, "ALTER TABLE|INDEX|MATERIALIZED VIEW ALL IN TABLESPACE … SET TABLESPACE", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_REWRITE, LINT_TABLE_REWRITE,                 \
	  "alter * all in tablespace",                                               \
	  "ALTER TABLE ALL IN TABLESPACE old SET TABLESPACE archive", "", FORM_UNMEASURED, \
	  "each relation moved is copied under its own lock", "none in SQL: pg_repack --tablespace") \
	X(FORM_SET_LOGGED, "ALTER TABLE … SET LOGGED, SET UNLOGGED",                 \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_REWRITE, LINT_TABLE_REWRITE, "@ set logged|unlogged", \
	  "ALTER TABLE t SET UNLOGGED", "", 0,                                       \
	  "9.5", "none in SQL: create the table with the wanted persistence and copy in batches") \
	X(FORM_SET_ACCESS_METHOD, "ALTER TABLE … SET ACCESS METHOD",                 \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_REWRITE, LINT_TABLE_REWRITE, "@ set access method", \
	  "ALTER TABLE t SET ACCESS METHOD columnar", "", FORM_UNMEASURED,           \
	  "15", "none in SQL: create a table with the access method and copy in batches") \
	X(FORM_SET_STORAGE_PARAMETERS, "ALTER TABLE … SET (storage parameter = …), RESET (…)", \
	  LOCK_SHARE_UPDATE_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,              \
	  "ALTER TABLE t SET (fillfactor = 70, autovacuum_enabled = false)", "", 0,  \
	  "fillfactor, autovacuum_* and most others; a few (user_catalog_table) take ACCESS EXCLUSIVE; nothing is rewritten", \
	  "")                                                                        \
	X(FORM_CLUSTER_ON, "ALTER TABLE … CLUSTER ON, SET WITHOUT CLUSTER",          \
	  LOCK_SHARE_UPDATE_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,              \
	  "ALTER TABLE t CLUSTER ON t_a", "", 0, "only marks the index for CLUSTER", "") \
	X(FORM_TRIGGERS, "ALTER TABLE … ENABLE TRIGGER, DISABLE TRIGGER",            \
	  LOCK_SHARE_ROW_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,                 \
	  "ALTER TABLE t DISABLE TRIGGER ALL", "", 0, "", "")                        \
	X(FORM_TABLE_CATALOG, "ALTER TABLE … ENABLE/DISABLE RULE, ROW LEVEL SECURITY, REPLICA IDENTITY, OWNER TO, SET SCHEMA, INHERIT, NO INHERIT, OF, NOT OF", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,                    \
	  "ALTER TABLE t ENABLE ROW LEVEL SECURITY", "", 0, "", "")                  \
	X(FORM_RENAME, "ALTER TABLE … RENAME TO, RENAME COLUMN",                     \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_CATALOG, LINT_RENAME_COLUMN, NULL,           \
	  "ALTER TABLE t RENAME COLUMN b TO b2", "", 0,                              \
	  "brief, but code using the old name fails (a table: rename-table)",        \
	  "add the new name beside the old one, switch the code, drop the old one")  \
	/* ---- partitions ---- */                                                   \
	X(FORM_ATTACH_PARTITION, "ALTER TABLE … ATTACH PARTITION",                   \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_SCAN, LINT_BLOCKS_READS, NULL,               \
	  "ALTER TABLE p ATTACH PARTITION p2 FOR VALUES FROM (100) TO (200)",         \
	  "ALTER TABLE q ATTACH PARTITION p2 FOR VALUES FROM (100) TO (200)", 0, \
	  "12: SHARE UPDATE EXCLUSIVE on the parent (ACCESS EXCLUSIVE before); ACCESS EXCLUSIVE on the table attached, read unless a valid CHECK proves the bound, and on a default partition, which is read; lint stays silent when the table has a valid CHECK (it does not compare it with the bound) and no default partition is known", \
	  "first a CHECK matching the bound (and NOT NULL on the key), NOT VALID, then VALIDATE, in earlier revisions") \
	X(FORM_CREATE_PARTITION_DEFAULT, "CREATE TABLE … PARTITION OF a table with a default partition", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_SCAN, LINT_BLOCKS_READS, NULL,               \
	  "CREATE TABLE p3 PARTITION OF p FOR VALUES FROM (200) TO (300)", "", 0,    \
	  "ACCESS EXCLUSIVE on the parent and the default partition, which is read; lint knows the default partitions the scripts create", \
	  "move the default partition's rows out first; or create the table alone and ATTACH it") \
	X(FORM_CREATE_PARTITION, "CREATE TABLE … PARTITION OF, no default partition", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,                    \
	  "CREATE TABLE q1 PARTITION OF q FOR VALUES FROM (0) TO (100)", "", 0,      \
	  "on the parent, briefly", "")                             \
	X(FORM_DETACH_PARTITION, "ALTER TABLE … DETACH PARTITION",                   \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_CATALOG, LINT_DETACH_PARTITION, NULL,        \
	  "ALTER TABLE p DETACH PARTITION p1",                                       \
	  "ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY", FORM_SAFE_NOTXN,         \
	  "on the parent, queued behind every query on it; 14: CONCURRENTLY takes SHARE UPDATE EXCLUSIVE", \
	  "DETACH PARTITION … CONCURRENTLY, in a script with Transaction: none")     \
	/* ---- indexes ---- */                                                      \
	X(FORM_CREATE_INDEX, "CREATE INDEX",                                         \
	  LOCK_SHARE, EFFECT_BUILD, LINT_CREATE_INDEX, NULL,                         \
	  "CREATE INDEX t_b2 ON t (b)", "CREATE INDEX CONCURRENTLY t_b2 ON t (b)",   \
	  FORM_SAFE_NOTXN, "writes wait; reads go on",                               \
	  "CREATE INDEX CONCURRENTLY, in a script with Transaction: none")           \
	X(FORM_CONCURRENTLY_TXN, "CREATE INDEX, DROP INDEX, REINDEX, DETACH PARTITION … CONCURRENTLY in a transaction", \
	  LOCK_SHARE_UPDATE_EXCLUSIVE, EFFECT_FAILS, LINT_CONCURRENTLY_TXN, NULL,    \
	  "CREATE INDEX CONCURRENTLY t_b2 ON t (b)",                                 \
	  "CREATE INDEX CONCURRENTLY t_b2 ON t (b)", FORM_SAFE_NOTXN,                \
	  "12: REINDEX CONCURRENTLY; 14: DETACH PARTITION CONCURRENTLY",             \
	  "a script of its own with Transaction: none")                              \
	X(FORM_DROP_INDEX, "DROP INDEX",                                             \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_CATALOG, LINT_DROP_INDEX, NULL,              \
	  "DROP INDEX t_a", "DROP INDEX CONCURRENTLY t_a", FORM_SAFE_NOTXN,          \
	  "on the table, queued behind every query on it",                           \
	  "DROP INDEX CONCURRENTLY, in a script with Transaction: none")             \
	X(FORM_REINDEX, "REINDEX INDEX, REINDEX TABLE",                              \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_BUILD, LINT_REINDEX, NULL,                              \
	  "REINDEX INDEX t_a", "REINDEX INDEX CONCURRENTLY t_a", FORM_SAFE_NOTXN,    \
	  "on the index, which the planner of every query on the table waits for; SHARE on the table; 12: CONCURRENTLY", \
	  "REINDEX … CONCURRENTLY, in a script with Transaction: none")              \
	X(FORM_REINDEX_WHOLE, "REINDEX SCHEMA, DATABASE, SYSTEM",                    \
	  LOCK_SHARE, EFFECT_FAILS, LINT_NEEDS_NO_TXN, NULL,                         \
	  "REINDEX SCHEMA public", "REINDEX SCHEMA CONCURRENTLY public", FORM_SAFE_NOTXN, \
	  "cannot run inside a transaction block",                                   \
	  "REINDEX … CONCURRENTLY, in a script with Transaction: none")              \
	X(FORM_ALTER_INDEX_TABLESPACE, "ALTER INDEX … SET TABLESPACE",               \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_REWRITE, LINT_TABLE_REWRITE,                 \
	  "alter index if? exists? _ set tablespace",                                \
	  "ALTER INDEX t_a SET TABLESPACE archive",                                  \
	  "REINDEX (TABLESPACE archive) INDEX CONCURRENTLY t_a", FORM_SAFE_NOTXN | FORM_UNMEASURED, \
	  "on the index, which the planner of every query on the table waits for, while it is copied; 14: REINDEX (TABLESPACE …)", \
	  "REINDEX (TABLESPACE …) … CONCURRENTLY, in a script with Transaction: none") \
	X(FORM_ALTER_INDEX, "ALTER INDEX … RENAME, SET (…), RESET (…), ALTER COLUMN … SET STATISTICS, ATTACH PARTITION", \
	  LOCK_SHARE_UPDATE_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,              \
	  "ALTER INDEX t_a SET (fillfactor = 50)", "", 0,                            \
	  "12: RENAME takes SHARE UPDATE EXCLUSIVE (ACCESS EXCLUSIVE before); a new fillfactor applies at the next REINDEX", \
	  "")                                                                        \
	/* ---- materialized views ---- */                                           \
	X(FORM_REFRESH, "REFRESH MATERIALIZED VIEW",                                 \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_REWRITE, LINT_TABLE_REWRITE,                 \
	  "refresh materialized view !concurrently",                                 \
	  "REFRESH MATERIALIZED VIEW mv", "REFRESH MATERIALIZED VIEW CONCURRENTLY mv", 0, \
	  "reads of the view wait for its whole query",                              \
	  "REFRESH MATERIALIZED VIEW CONCURRENTLY (it needs a unique index on the view)") \
	X(FORM_REFRESH_CONCURRENTLY, "REFRESH MATERIALIZED VIEW CONCURRENTLY",       \
	  LOCK_EXCLUSIVE, EFFECT_SCAN, LINT_SAFE, NULL,                              \
	  "REFRESH MATERIALIZED VIEW CONCURRENTLY mv", "", 0,                        \
	  "reads go on; it can run inside a transaction", "")                        \
	X(FORM_ALTER_MATVIEW_REWRITE, "ALTER MATERIALIZED VIEW … SET TABLESPACE, SET ACCESS METHOD", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_REWRITE, LINT_TABLE_REWRITE,                 \
	  "alter materialized view if? exists? _ * set tablespace|access",           \
	  "ALTER MATERIALIZED VIEW mv SET TABLESPACE archive", "", FORM_UNMEASURED,  \
	  "15: SET ACCESS METHOD", "none in SQL: create the view anew where it belongs, then swap the names") \
	X(FORM_ALTER_MATVIEW, "ALTER MATERIALIZED VIEW … SET (…), CLUSTER ON, ALTER COLUMN … SET STATISTICS", \
	  LOCK_SHARE_UPDATE_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,              \
	  "ALTER MATERIALIZED VIEW mv SET (fillfactor = 50)", "", 0, "", "")         \
	X(FORM_CREATE_MATVIEW, "CREATE MATERIALIZED VIEW, CREATE TABLE … AS",        \
	  LOCK_ACCESS_SHARE, EFFECT_SCAN, LINT_SAFE, NULL,                           \
	  "CREATE MATERIALIZED VIEW mv2 AS SELECT id FROM t", "", 0,                 \
	  "only reads the tables of its query", "")                                  \
	/* ---- maintenance and other commands ---- */                               \
	X(FORM_VACUUM_FULL, "VACUUM FULL",                                           \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_REWRITE, LINT_VACUUM_FULL, NULL,             \
	  "VACUUM FULL t", "VACUUM t", FORM_SAFE_NOTXN | FORM_UNMEASURED,            \
	  "also cannot run inside a transaction block",                              \
	  "plain VACUUM; pg_repack outside the migration")                           \
	X(FORM_VACUUM, "VACUUM",                                                     \
	  LOCK_SHARE_UPDATE_EXCLUSIVE, EFFECT_FAILS, LINT_NEEDS_NO_TXN, NULL,        \
	  "VACUUM t", "VACUUM t", FORM_SAFE_NOTXN,                                   \
	  "cannot run inside a transaction block", "a script with Transaction: none") \
	X(FORM_ANALYZE, "ANALYZE",                                                   \
	  LOCK_SHARE_UPDATE_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,              \
	  "ANALYZE t", "", 0, "reads a sample of the rows; reads and writes go on", "") \
	X(FORM_CLUSTER, "CLUSTER",                                                   \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_REWRITE, LINT_CLUSTER, NULL,                 \
	  "CLUSTER t USING t_a", "", 0, "",                                          \
	  "none in SQL: pg_repack outside the migration")                            \
	X(FORM_CLUSTER_ALL, "CLUSTER with no table",                                 \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_FAILS, LINT_NEEDS_NO_TXN, "cluster verbose? $", \
	  "CLUSTER", "", 0,                                            \
	  "cannot run inside a transaction block; every clustered table is rewritten", \
	  "none in SQL: pg_repack outside the migration")                            \
	X(FORM_TRUNCATE, "TRUNCATE",                                                 \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_DATA, LINT_TRUNCATE, NULL,                   \
	  "TRUNCATE t", "DELETE FROM t WHERE id < 100", 0,                           \
	  "every row is gone at once", "delete only the rows you mean to")           \
	X(FORM_DROP_TABLE, "DROP TABLE",                                             \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_DATA, LINT_DROP_TABLE, NULL,                 \
	  "DROP TABLE p2", "", 0, "the table and its rows are gone",                 \
	  "keep the table until no code uses it and a backup exists")                \
	X(FORM_DELETE_ALL, "DELETE without WHERE, or with a WHERE that is always true", \
	  LOCK_ROW_EXCLUSIVE, EFFECT_DATA, LINT_DELETE_ALL, NULL,                    \
	  "DELETE FROM u WHERE 1 = 1 OR id = 5", "DELETE FROM u WHERE id = 5", 0,    \
	  "WHERE true, 1 = 1, 'a' = 'a', NOT false, and any of them after a top-level OR, count as no WHERE", \
	  "a WHERE naming the rows to delete")                                       \
	X(FORM_UPDATE_ALL, "UPDATE without WHERE, or with a WHERE that is always true", \
	  LOCK_ROW_EXCLUSIVE, EFFECT_DATA, LINT_UPDATE_ALL, NULL,                    \
	  "UPDATE t SET a = 1 WHERE true", "UPDATE t SET a = 1 WHERE id = 5", 0,     \
	  "every row is locked until the migration commits",                         \
	  "a WHERE naming the rows; backfill large tables in batches")               \
	X(FORM_LOCK_TABLE, "LOCK TABLE",                                             \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_CATALOG, LINT_LOCK_TABLE, NULL,              \
	  "LOCK TABLE t", "SET LOCAL lock_timeout = '2s'", 0,                        \
	  "the mode named (ACCESS EXCLUSIVE by default), held until the migration commits", \
	  "let each statement take the lock it needs, and set lock_timeout")         \
	X(FORM_CREATE_TRIGGER, "CREATE TRIGGER",                                     \
	  LOCK_SHARE_ROW_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,                 \
	  "CREATE TRIGGER t_tr BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()", \
	  "", 0, "", "")                                                             \
	X(FORM_POLICY_RULE, "CREATE/ALTER/DROP POLICY, CREATE/DROP RULE, DROP TRIGGER", \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,                    \
	  "CREATE POLICY t_all ON t USING (true)", "", 0, "", "")                    \
	X(FORM_COMMENT_STATISTICS, "COMMENT ON, CREATE STATISTICS",                  \
	  LOCK_SHARE_UPDATE_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,              \
	  "CREATE STATISTICS t_ab ON a, b FROM t", "", 0, "", "")                    \
	X(FORM_CREATE_TABLE_REFERENCES, "CREATE TABLE … REFERENCES another table",   \
	  LOCK_SHARE_ROW_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,                 \
	  "CREATE TABLE w (id int PRIMARY KEY, t_id int REFERENCES t)", "", 0,       \
	  "on the referenced table, briefly: the new table is empty", "")            \
	X(FORM_REPLACE_VIEW, "CREATE OR REPLACE VIEW",                               \
	  LOCK_ACCESS_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,                    \
	  "CREATE OR REPLACE VIEW vw AS SELECT id, t_id FROM u", "", 0,              \
	  "on the view, briefly", "")                                                \
	/* ---- types, domains, sequences ---- */                                    \
	X(FORM_DOMAIN_CONSTRAINT, "ALTER DOMAIN … ADD CONSTRAINT (valid), SET NOT NULL", \
	  LOCK_SHARE, EFFECT_SCAN, LINT_LONG_LOCK,                                   \
	  "alter domain _ add !valid; alter domain _ set not null",                  \
	  "ALTER DOMAIN pos ADD CONSTRAINT pos_lim CHECK (VALUE < 2000000)",         \
	  "ALTER DOMAIN pos ADD CONSTRAINT pos_lim CHECK (VALUE < 2000000) NOT VALID", 0, \
	  "on every table with a column of the domain, while each is read",          \
	  "ADD CONSTRAINT … NOT VALID (new values are checked at once); see VALIDATE below") \
	X(FORM_DOMAIN_VALIDATE, "ALTER DOMAIN … VALIDATE CONSTRAINT",                \
	  LOCK_SHARE, EFFECT_SCAN, LINT_LONG_LOCK, "alter domain _ validate",        \
	  "ALTER DOMAIN pos VALIDATE CONSTRAINT pos_max",                          \
	  "ALTER TABLE t VALIDATE CONSTRAINT a_pos", 0,                              \
	  "measured on 15: SHARE on every table using the domain while it is read, unlike a table's VALIDATE", \
	  "a CHECK on each table's column, NOT VALID, then VALIDATE (SHARE UPDATE EXCLUSIVE)") \
	X(FORM_DOMAIN_CATALOG, "CREATE DOMAIN, ALTER DOMAIN … ADD CONSTRAINT … NOT VALID, SET DEFAULT, DROP CONSTRAINT", \
	  LOCK_NONE, EFFECT_CATALOG, LINT_SAFE, NULL,                                \
	  "ALTER DOMAIN pos ADD CONSTRAINT pos_lim CHECK (VALUE < 2000000) NOT VALID", "", 0, \
	  "no lock on the tables", "")                                               \
	X(FORM_ENUM_ADD_VALUE, "ALTER TYPE … ADD VALUE",                             \
	  LOCK_NONE, EFFECT_CATALOG, LINT_SAFE, NULL,                                \
	  "ALTER TYPE mood ADD VALUE 'c'", "", 0,                                    \
	  "12: allowed inside a transaction (before 12 it was not)", "")             \
	X(FORM_ENUM_USE_NEW_VALUE, "a new enum value used in the transaction that added it", \
	  LOCK_NONE, EFFECT_FAILS, LINT_NEEDS_NO_TXN, NULL,                          \
	  "ALTER TYPE mood ADD VALUE 'c'; SELECT 'c'::mood",                         \
	  "ALTER TYPE mood ADD VALUE 'c'; SELECT 'c'::mood", FORM_SAFE_NOTXN,        \
	  "12+: \"unsafe use of new value\"; lint matches the value's string",       \
	  "use the value in a later revision, or with Transaction: none")            \
	X(FORM_SEQUENCE, "CREATE SEQUENCE, ALTER SEQUENCE",                          \
	  LOCK_SHARE_ROW_EXCLUSIVE, EFFECT_CATALOG, LINT_SAFE, NULL,                 \
	  "ALTER SEQUENCE s RESTART 1000", "", 0,                                    \
	  "on the sequence: nextval() waits, briefly", "")                           \
	/* ---- databases, tablespaces, the server ---- */                           \
	X(FORM_DATABASE, "CREATE DATABASE, DROP DATABASE",                           \
	  LOCK_NONE, EFFECT_FAILS, LINT_NEEDS_NO_TXN, NULL,                          \
	  "CREATE DATABASE scratch", "CREATE DATABASE scratch", FORM_SAFE_NOTXN,    \
	  "cannot run inside a transaction block", "a script with Transaction: none") \
	X(FORM_DATABASE_TABLESPACE, "ALTER DATABASE … SET TABLESPACE",               \
	  LOCK_NONE, EFFECT_FAILS, LINT_NEEDS_NO_TXN, "alter database _ set tablespace", \
	  "ALTER DATABASE app SET TABLESPACE archive",                               \
	  "ALTER DATABASE app SET TABLESPACE archive", FORM_SAFE_NOTXN,              \
	  "cannot run inside a transaction block; every file of the database is copied, with no one connected", \
	  "a script with Transaction: none, in a maintenance window")                \
	X(FORM_TABLESPACE, "CREATE TABLESPACE, DROP TABLESPACE",                     \
	  LOCK_NONE, EFFECT_FAILS, LINT_NEEDS_NO_TXN, NULL,                          \
	  "CREATE TABLESPACE archive LOCATION '/srv/archive'",                       \
	  "CREATE TABLESPACE archive LOCATION '/srv/archive'", FORM_SAFE_NOTXN,      \
	  "cannot run inside a transaction block", "a script with Transaction: none") \
	X(FORM_ALTER_SYSTEM, "ALTER SYSTEM",                                         \
	  LOCK_NONE, EFFECT_FAILS, LINT_NEEDS_NO_TXN, NULL,                          \
	  "ALTER SYSTEM SET work_mem = '64MB'", "ALTER SYSTEM SET work_mem = '64MB'", \
	  FORM_SAFE_NOTXN, "cannot run inside a transaction block",                 \
	  "a script with Transaction: none")                                         \
	X(FORM_SUBSCRIPTION, "CREATE SUBSCRIPTION (creating a slot), DROP SUBSCRIPTION", \
	  LOCK_NONE, EFFECT_FAILS, LINT_NEEDS_NO_TXN,                                \
	  "create subscription !create_slot; drop subscription",                     \
	  "CREATE SUBSCRIPTION sub CONNECTION 'dbname=app' PUBLICATION pub",         \
	  "CREATE SUBSCRIPTION sub CONNECTION 'dbname=app' PUBLICATION pub WITH (create_slot = false)", \
	  0, "cannot run inside a transaction block while a replication slot is created or dropped", \
	  "WITH (create_slot = false), or a script with Transaction: none")          \
	X(FORM_DISCARD_ALL, "DISCARD ALL",                                           \
	  LOCK_NONE, EFFECT_FAILS, LINT_NEEDS_NO_TXN, "discard all", "DISCARD ALL",  \
	  "DISCARD PLANS", 0, "cannot run inside a transaction block",               \
	  "DISCARD PLANS, SEQUENCES or TEMP, which can")

enum lint_form {
#define LINT_FORM_X(name, form, lock, effect, rule, pattern, ex, safe, flags, versions, alt) name,
	LINT_FORM_LIST(LINT_FORM_X)
#undef LINT_FORM_X
	LINT_NFORMS
};

struct lint_form_info {
	const char *name;          /* the enum's name, for tests */
	const char *form;
	enum lint_lock lock;
	enum lint_effect effect;
	int rule;                  /* enum lint_rule, or LINT_SAFE */
	const char *pattern;       /* NULL: a rule of lint.c reports it */
	const char *example, *safe;
	unsigned flags;
	const char *versions, *alternative;
};
extern const struct lint_form_info lint_forms[LINT_NFORMS];

/* The schema every example runs against (an earlier revision). */
#define LINT_FORMS_FIXTURE                                                      \
	"CREATE TABLE t (id int PRIMARY KEY, a int, b text, v varchar(20),\n"        \
	"    n numeric(10,2), ts timestamp, nn int NOT NULL DEFAULT 0,\n"            \
	"    g int GENERATED ALWAYS AS (id * 2) STORED);\n"                          \
	"CREATE INDEX t_a ON t (a);\n"                                               \
	"CREATE UNIQUE INDEX t_b ON t (b);\n"                                        \
	"ALTER TABLE t ADD CONSTRAINT a_pos CHECK (a > 0) NOT VALID;\n"              \
	"CREATE TABLE u (id int PRIMARY KEY, t_id int);\n"                           \
	"CREATE VIEW vw AS SELECT id, t_id FROM u;\n"                                \
	"CREATE MATERIALIZED VIEW mv AS SELECT id, t_id FROM u;\n"                   \
	"CREATE UNIQUE INDEX mv_id ON mv (id);\n"                                    \
	"CREATE TABLE p (id int, k int) PARTITION BY RANGE (k);\n"                   \
	"CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (100);\n"             \
	"CREATE TABLE pd PARTITION OF p DEFAULT;\n"                                  \
	"CREATE TABLE p2 (id int, k int,\n"                                          \
	"    CONSTRAINT p2_k CHECK (k IS NOT NULL AND k >= 100 AND k < 200));\n"    \
	"CREATE TABLE q (id int, k int) PARTITION BY RANGE (k);\n"                   \
	"CREATE DOMAIN pos AS int CHECK (VALUE > 0);\n"                              \
	"ALTER DOMAIN pos ADD CONSTRAINT pos_max CHECK (VALUE < 1000000) NOT VALID;\n" \
	"CREATE TABLE d (id int, x pos);\n"                                         \
	"CREATE TYPE mood AS ENUM ('a', 'b');\n"                                     \
	"CREATE SEQUENCE s;\n"

/* docs/lint.md's lock table lies between these two lines. */
#define LINT_FORMS_BEGIN \
	"<!-- The lock table: made from src/lint_forms.h by make update-lint-docs. -->\n"
#define LINT_FORMS_END "<!-- The end of the lock table. -->\n"

const char *lint_lock_name(enum lint_lock l);        /* "ACCESS EXCLUSIVE", … */
const char *lint_effect_name(enum lint_effect e);    /* "rewrites the table", … */

/* docs/lint.md's lock table: one Markdown table row per form, with its
 * header. Appended to sb. */
void lint_forms_markdown(struct strbuf *sb);
/* The rows as a JSON array (tests, the measurement). Appended to sb. */
void lint_forms_json(struct strbuf *sb);

#endif
