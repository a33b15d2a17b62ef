/* lint.h: flags dangerous statements in revision scripts (retort(1) `lint`, docs/lint.md):
 * data loss, long locks on PostgreSQL, statements that cannot run where
 * the script puts them, renames that break running code.
 *
 * Statements are read through the SQL lexer, so keywords inside strings,
 * quoted identifiers and comments never count. A `struct lint` remembers
 * the columns, types and indexes that the scripts it has read create, so
 * that a later ALTER COLUMN … TYPE can be told apart as a narrowing or a
 * widening, and a SQLite DROP COLUMN of an indexed column is caught.
 * Feed it the scripts in revision order (ancestors first). */
#ifndef RT_LINT_H
#define RT_LINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "script.h"
#include "sqllex.h"
#include "util.h"

enum lint_severity { LINT_INFO, LINT_WARNING, LINT_ERROR };

/* Where a rule applies (a bit per dialect). */
enum { LINT_SQLITE = 1, LINT_PG = 2, LINT_ANY = 3 };

/* A rule whose statement destroys data (rows, columns, whole tables, or
 * values cut by a narrower type): the findings that production mode asks
 * the database's name for, and that rank as errors in a downgrade. */
#define LINT_LOSS 1

/* The rules: X(enum name, id, severity, dialects, data loss, reason, fix).
 * The rule table, `lint --rules` and the documentation come from this one
 * list. */
#define LINT_RULE_LIST(X)                                                        \
	X(LINT_DROP_TABLE, "drop-table", LINT_ERROR, LINT_ANY, LINT_LOSS,        \
	  "DROP TABLE deletes the table and every row in it",                        \
	  "keep the table until no deployed code uses it and a backup exists; "      \
	  "mark an intended drop with -- retort:ignore drop-table")                  \
	X(LINT_DROP_COLUMN, "drop-column", LINT_ERROR, LINT_ANY, LINT_LOSS,      \
	  "DROP COLUMN deletes the column's data, and code still reading it fails",  \
	  "stop using the column in code first, back it up, then drop it in a "     \
	  "later revision")                                                          \
	X(LINT_TRUNCATE, "truncate", LINT_ERROR, LINT_ANY, LINT_LOSS,            \
	  "TRUNCATE deletes every row of the table",                                 \
	  "copy the rows elsewhere first, or delete only the rows you mean to")     \
	X(LINT_DELETE_ALL, "delete-without-where", LINT_ERROR, LINT_ANY, LINT_LOSS, \
	  "DELETE without WHERE deletes every row of the table",                     \
	  "add a WHERE clause naming the rows to delete")                            \
	X(LINT_UPDATE_ALL, "update-without-where", LINT_WARNING, LINT_ANY, 0,    \
	  "UPDATE without WHERE overwrites every row (and locks them all)",          \
	  "add a WHERE clause; backfill large tables in batches")                    \
	X(LINT_TYPE_NARROWING, "type-narrowing", LINT_ERROR, LINT_ANY, LINT_LOSS, \
	  "the new column type holds less than the old one: values that do not "     \
	  "fit make the migration fail, or are cut",                                 \
	  "check every value fits first (SELECT max(length(col)) …), or keep the "  \
	  "wider type")                                                              \
	X(LINT_TYPE_CHANGE, "type-change", LINT_WARNING, LINT_ANY, 0,            \
	  "changing a column's type may narrow it or fail to convert values, and "   \
	  "on PostgreSQL rewrites the table under an ACCESS EXCLUSIVE lock",         \
	  "add a new column, backfill it, switch the code, drop the old one later") \
	X(LINT_DROP_SCHEMA, "drop-schema", LINT_ERROR, LINT_ANY, LINT_LOSS,      \
	  "DROP SCHEMA deletes every object in the schema (with CASCADE)",           \
	  "drop the objects one by one in revisions that can be reviewed")          \
	X(LINT_DROP_DATABASE, "drop-database", LINT_ERROR, LINT_ANY, LINT_LOSS,  \
	  "DROP DATABASE deletes a whole database",                                  \
	  "do not drop databases from a migration")                                  \
	X(LINT_CREATE_INDEX, "create-index", LINT_WARNING, LINT_PG, 0,           \
	  "CREATE INDEX without CONCURRENTLY blocks every write to the table while "  \
	  "the index builds",                                                        \
	  "CREATE INDEX CONCURRENTLY, in a script of its own with Transaction: none") \
	X(LINT_DROP_INDEX, "drop-index", LINT_WARNING, LINT_PG, 0,               \
	  "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the "   \
	  "table, queued behind every running query",                                \
	  "DROP INDEX CONCURRENTLY, in a script of its own with Transaction: none")  \
	X(LINT_REINDEX, "reindex", LINT_WARNING, LINT_PG, 0,                     \
	  "REINDEX without CONCURRENTLY blocks writes (and reads using the index) "  \
	  "while it rebuilds",                                                       \
	  "REINDEX … CONCURRENTLY, in a script with Transaction: none")              \
	X(LINT_DETACH_PARTITION, "detach-partition", LINT_WARNING, LINT_PG, 0,   \
	  "DETACH PARTITION without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on "  \
	  "the partitioned table",                                                   \
	  "DETACH PARTITION … CONCURRENTLY (PostgreSQL 14+), in a script with "      \
	  "Transaction: none")                                                       \
	X(LINT_ADD_FOREIGN_KEY, "add-foreign-key", LINT_WARNING, LINT_PG, 0,     \
	  "adding a FOREIGN KEY checks every row while both tables are locked "      \
	  "against writes",                                                          \
	  "ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT in a later revision") \
	X(LINT_ADD_CHECK, "add-check", LINT_WARNING, LINT_PG, 0,                 \
	  "adding a CHECK constraint scans every row under an ACCESS EXCLUSIVE lock", \
	  "ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT in a later revision") \
	X(LINT_ADD_UNIQUE, "add-unique", LINT_WARNING, LINT_PG, 0,               \
	  "adding a UNIQUE, PRIMARY KEY or EXCLUDE constraint builds its index "     \
	  "under an ACCESS EXCLUSIVE lock",                                          \
	  "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX")     \
	X(LINT_SET_NOT_NULL, "set-not-null", LINT_WARNING, LINT_PG, 0,           \
	  "SET NOT NULL scans every row under an ACCESS EXCLUSIVE lock",             \
	  "ADD CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL "   \
	  "(which then skips the scan)")                                             \
	X(LINT_VOLATILE_DEFAULT, "volatile-default", LINT_WARNING, LINT_PG, 0,   \
	  "ADD COLUMN with a volatile default (random(), nextval, serial, identity, " \
	  "a stored generated column) rewrites the whole table under an ACCESS "     \
	  "EXCLUSIVE lock; a constant or stable default (now()) does not",           \
	  "add the column without that default, set the default, backfill in "      \
	  "batches")                                                                 \
	X(LINT_VACUUM_FULL, "vacuum-full", LINT_WARNING, LINT_PG, 0,             \
	  "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock",           \
	  "plain VACUUM, or pg_repack outside the migration")                        \
	X(LINT_CLUSTER, "cluster", LINT_WARNING, LINT_PG, 0,                     \
	  "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock",               \
	  "pg_repack outside the migration")                                         \
	X(LINT_LOCK_TABLE, "lock-table", LINT_WARNING, LINT_PG, 0,               \
	  "LOCK TABLE holds a lock until the migration commits",                     \
	  "let each statement take the lock it needs, and set lock_timeout")         \
	X(LINT_TABLE_REWRITE, "table-rewrite", LINT_WARNING, LINT_PG, 0,             \
	  "the statement writes a new copy of the table under an ACCESS EXCLUSIVE "  \
	  "lock: reads and writes wait until the whole table is copied",             \
	  "the form's safe alternative, named in the message (docs/lint.md lists "  \
	  "each form's)")                                                            \
	X(LINT_BLOCKS_READS, "blocks-reads", LINT_WARNING, LINT_PG, 0,               \
	  "the statement reads every row of a table under an ACCESS EXCLUSIVE "      \
	  "lock: reads and writes wait for the whole scan",                          \
	  "the form's safe alternative, named in the message (docs/lint.md lists "  \
	  "each form's)")                                                            \
	X(LINT_LONG_LOCK, "long-lock", LINT_WARNING, LINT_PG, 0,                     \
	  "the statement reads every row of the tables it checks under a lock that " \
	  "blocks writes: writes wait for the whole scan",                           \
	  "the form's safe alternative, named in the message (docs/lint.md lists "  \
	  "each form's)")                                                            \
	X(LINT_CONCURRENTLY_TXN, "concurrently-in-transaction", LINT_ERROR, LINT_PG, 0, \
	  "CONCURRENTLY cannot run inside a transaction: the migration fails",       \
	  "move the statement to a script of its own with Transaction: none")        \
	X(LINT_NEEDS_NO_TXN, "needs-no-transaction", LINT_ERROR, LINT_ANY, 0,    \
	  "VACUUM, CREATE/DROP DATABASE, REINDEX SCHEMA/DATABASE/SYSTEM, ALTER "     \
	  "SYSTEM, tablespaces, and the other forms the lock table marks as "        \
	  "failing in a transaction cannot run inside one: the migration fails",     \
	  "move the statement to a script of its own with Transaction: none")        \
	X(LINT_TXN_CONTROL, "transaction-control", LINT_ERROR, LINT_ANY, 0,      \
	  "BEGIN, COMMIT or ROLLBACK inside a script that retort runs in a "         \
	  "transaction ends that transaction early: a later failure leaves the "     \
	  "script half applied and the version table behind",                       \
	  "drop the statement, or use Transaction: none and manage transactions "    \
	  "yourself")                                                                \
	X(LINT_RENAME_TABLE, "rename-table", LINT_WARNING, LINT_ANY, 0,          \
	  "renaming a table or view breaks the code that is running against the "    \
	  "old name",                                                                \
	  "add the new name alongside the old (e.g. a view), switch the code, then " \
	  "drop the old name")                                                       \
	X(LINT_RENAME_COLUMN, "rename-column", LINT_WARNING, LINT_ANY, 0,        \
	  "renaming a column breaks the code that is running against the old name",  \
	  "add a new column, write both, backfill, switch the code, then drop the "  \
	  "old one")                                                                 \
	X(LINT_IRREVERSIBLE, "irreversible", LINT_WARNING, LINT_ANY, 0,          \
	  "the script has no downgrade section: downgrading through it fails",       \
	  "add a -- migrate:downgrade section that undoes the upgrade")              \
	X(LINT_EMPTY_DOWNGRADE, "empty-downgrade", LINT_INFO, LINT_ANY, 0,       \
	  "the downgrade section is empty although the upgrade changes something",   \
	  "write the statements that undo the upgrade")                              \
	X(LINT_ADD_NOT_NULL, "add-column-not-null", LINT_ERROR, LINT_ANY, 0,     \
	  "ADD COLUMN … NOT NULL without a DEFAULT fails on a table that has rows",  \
	  "give it a DEFAULT, or add it nullable, backfill, then make it NOT NULL")  \
	X(LINT_SQLITE_ALTER, "sqlite-alter", LINT_ERROR, LINT_SQLITE, 0,         \
	  "SQLite's ALTER TABLE only renames, adds a plain column or drops one: "    \
	  "this form fails",                                                         \
	  "rebuild the table: CREATE TABLE new, INSERT … SELECT, DROP, RENAME")      \
	X(LINT_SQLITE_DROP_COLUMN, "sqlite-drop-column", LINT_ERROR, LINT_SQLITE, 0, \
	  "SQLite cannot drop a column that an index, a key or a constraint uses",   \
	  "drop the index first, or rebuild the table")                              \
	X(LINT_PARSE_ERROR, "parse-error", LINT_ERROR, LINT_ANY, 0,              \
	  "the section does not split into statements: the script cannot run",       \
	  "close the string, quoted identifier or comment")                          \
	X(LINT_UNKNOWN_IGNORE, "unknown-ignore", LINT_WARNING, LINT_ANY, 0,      \
	  "a retort:ignore comment names a rule that does not exist, so it "         \
	  "silences nothing",                                                        \
	  "use the ids that 'retort lint --rules' lists")

enum lint_rule {
#define LINT_X(name, id, sev, dialects, loss, reason, fix) name,
	LINT_RULE_LIST(LINT_X)
#undef LINT_X
	LINT_NRULES
};

struct lint_rule_info {
	const char *id;
	enum lint_severity severity;
	unsigned dialects;         /* LINT_SQLITE | LINT_PG */
	bool data_loss;            /* LINT_LOSS in the list */
	const char *reason;
	const char *fix;
};
extern const struct lint_rule_info lint_rules[LINT_NRULES];

/* The rule with this id, or -1. */
int lint_rule_find(const char *id);
const char *lint_severity_name(enum lint_severity s);   /* "error", … */
bool lint_severity_parse(const char *s, enum lint_severity *out);
const char *lint_dialects_name(unsigned dialects);      /* "any", … */

struct lint_finding {
	enum lint_rule rule;
	/* The rule's severity, lowered to info for a downgrade that drops what
	 * its own upgrade created: expected, but still data that goes. When
	 * the downgrade direction is under review (lint_set_direction), a
	 * data-loss finding of a downgrade section is an error instead: it is
	 * what the person about to run it must weigh first. */
	enum lint_severity severity;
	enum script_section section;
	uint32_t line;             /* the statement's line in the file */
	const char *message;       /* owned by the findings' arena */
	const char *file;          /* borrowed from the lint_text */
	const char *revision;      /* borrowed from the lint_text */
	/* What a data-loss finding takes with it, for the faces to count:
	 * the tables as the statement names them (a valid SQL name, quotes
	 * and schema kept), and the column when one column goes; NULL and 0
	 * for other findings. own: the tables or the column were created by
	 * the same script's upgrade. Owned by the findings' arena. */
	const char **tables;
	uint32_t ntables;
	const char *column;
	bool own;
};

struct lint_findings {
	struct lint_finding *v;    /* owned */
	uint32_t n, cap;
	struct arena arena;        /* owns the messages */
};
void lint_findings_init(struct lint_findings *f);
void lint_findings_free(struct lint_findings *f);

/* One script: the whole file and its sections, as script_parse found
 * them. Every pointer is borrowed for the call; file and revision must
 * outlive the findings. */
struct lint_text {
	const char *file;
	const char *revision;
	const char *text;
	size_t len;
	size_t up_off, up_len;
	uint32_t up_line;          /* line of the first byte of the section */
	bool has_downgrade;
	size_t down_off, down_len;
	uint32_t down_line;
	bool transactional;        /* false for `Transaction: none` */
};

struct lint;
/* Caller frees with lint_free. */
struct lint *lint_new(enum sql_dialect dialect);
void lint_free(struct lint *l);

/* Which sections are reported: both (the default: a review of scripts),
 * the upgrade sections only (what an upgrade runs), or the downgrade
 * sections only (what a downgrade runs; data-loss findings there rank as
 * errors). The irreversible finding, about a whole script, is reported in
 * every direction. */
enum lint_direction { LINT_BOTH, LINT_UP, LINT_DOWN };
void lint_set_direction(struct lint *l, enum lint_direction d);
bool lint_direction_parse(const char *s, enum lint_direction *out);

/* Lints both sections of one script and learns the schema changes of its
 * upgrade. With report false it only learns (an ancestor of the revisions
 * being linted). Findings silenced by `-- retort:ignore RULE` comments are
 * left out; the rest are appended to out, in line order. Never fails: a
 * section that does not lex is a parse-error finding. */
void lint_text(struct lint *l, const struct lint_text *in, bool report,
               struct lint_findings *out);

/* lint_text on a parsed script's file (read again). RT_EINPUT when the
 * file cannot be read or changed since it was parsed. */
int lint_script(struct lint *l, const struct script *s, bool report,
                struct lint_findings *out, char **err);

#endif
