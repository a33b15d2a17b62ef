/* test_lint.c: the lint rules on SQL text, the ignore comments, the schema
 * model across scripts, the corpus under tests/data/lint, and inputs that
 * must not crash the parser. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "lint_forms.h"
#include "tap.h"

/* "LINE:RULE" for each finding, comma-separated (caller frees). */
static char *describe(const struct lint_findings *f, bool severity)
{
	struct strbuf sb = STRBUF_INIT;
	for (uint32_t i = 0; i < f->n; i++) {
		sb_addf(&sb, "%s%u:%s", i ? "," : "", (unsigned)f->v[i].line,
		        lint_rules[f->v[i].rule].id);
		if (severity)
			sb_addf(&sb, "/%s", lint_severity_name(f->v[i].severity));
	}
	return sb_detach(&sb);
}

/* A script made of an upgrade and a downgrade; the upgrade starts on
 * line 2 (line 1 is its marker), as in a real file. down NULL: no
 * downgrade section. */
static void lint_pair(struct lint *l, const char *up, const char *down, bool txn,
                      struct lint_findings *f)
{
	struct strbuf sb = STRBUF_INIT;
	struct lint_text in = {.file = "t.sql", .revision = "r1", .transactional = txn};
	sb_adds(&sb, "-- migrate:upgrade\n");
	in.up_off = sb.len;
	in.up_line = 2;
	sb_adds(&sb, up);
	sb_adds(&sb, "\n");
	in.up_len = sb.len - in.up_off;
	if (down) {
		uint32_t line = 1;
		for (const char *p = sb_str(&sb); *p; p++)
			line += *p == '\n';
		sb_adds(&sb, "-- migrate:downgrade\n");
		in.has_downgrade = true;
		in.down_off = sb.len;
		in.down_line = line + 1;
		sb_adds(&sb, down);
		in.down_len = sb.len - in.down_off;
	}
	in.text = sb_str(&sb);
	in.len = sb.len;
	lint_text(l, &in, true, f);
	sb_free(&sb);
}

/* One more script through l: its findings, as describe() puts them. */
static char *step(struct lint *l, const char *up, const char *down, bool txn,
                  bool severity)
{
	struct lint_findings f;
	lint_findings_init(&f);
	lint_pair(l, up, down, txn, &f);
	char *s = describe(&f, severity);
	lint_findings_free(&f);
	return s;
}

#define STEP(l, up, down, severity, want, ...) do { \
	char *g_ = step(l, up, down, true, severity); \
	is_str(g_, want, __VA_ARGS__); free(g_); } while (0)

/* Findings of sql as an upgrade with a harmless downgrade. */
static char *run_sql(enum sql_dialect d, bool txn, const char *sql)
{
	struct lint *l = lint_new(d);
	char *s = step(l, sql, "SELECT 1;\n", txn, false);
	lint_free(l);
	return s;
}

#define PG(sql, want, ...) do { char *g_ = run_sql(SQL_POSTGRES, true, sql); \
	is_str(g_, want, __VA_ARGS__); free(g_); } while (0)
#define LITE(sql, want, ...) do { char *g_ = run_sql(SQL_SQLITE, true, sql); \
	is_str(g_, want, __VA_ARGS__); free(g_); } while (0)
#define PG_NOTXN(sql, want, ...) do { char *g_ = run_sql(SQL_POSTGRES, false, sql); \
	is_str(g_, want, __VA_ARGS__); free(g_); } while (0)

static void test_rule_table(void)
{
	for (int i = 0; i < LINT_NRULES; i++) {
		ok(lint_rule_find(lint_rules[i].id) == i, "rule %s is found by its id",
		   lint_rules[i].id);
		ok(lint_rules[i].reason[0] && lint_rules[i].fix[0] &&
		   (lint_rules[i].dialects & LINT_ANY), "rule %s has a reason, a fix, a dialect",
		   lint_rules[i].id);
	}
	is_int(lint_rule_find("no-such-rule"), -1, "an unknown id is -1");
	enum lint_severity s;
	ok(lint_severity_parse("warning", &s) && s == LINT_WARNING, "severity parses");
	ok(!lint_severity_parse("fatal", &s), "an unknown severity does not");
	ok(LINT_ERROR > LINT_WARNING && LINT_WARNING > LINT_INFO, "severities are ordered");
	is_str(lint_dialects_name(LINT_PG), "postgresql", "dialect names");
}

static void test_data_loss(void)
{
	PG("DROP TABLE users;", "2:drop-table", "DROP TABLE");
	PG("DROP TABLE IF EXISTS a, b CASCADE;", "2:drop-table", "one finding per statement");
	PG("CREATE TABLE tmp (a int);\nDROP TABLE tmp;", "",
	   "a table created in the same section is a work table");
	PG("ALTER TABLE users DROP COLUMN email;", "2:drop-column", "DROP COLUMN");
	PG("ALTER TABLE users DROP email;", "2:drop-column", "DROP without COLUMN");
	PG("ALTER TABLE users DROP CONSTRAINT users_email_key;", "",
	   "DROP CONSTRAINT keeps the data");
	PG("ALTER TABLE users ALTER COLUMN email DROP NOT NULL;", "", "DROP NOT NULL");
	PG("TRUNCATE sessions;", "2:truncate", "TRUNCATE");
	PG("DELETE FROM sessions;", "2:delete-without-where", "DELETE without WHERE");
	PG("DELETE FROM sessions WHERE id = 1;", "", "DELETE … WHERE");
	PG("DELETE FROM s USING t WHERE s.t = t.id;", "", "DELETE … USING … WHERE");
	PG("UPDATE users SET a = 1;", "2:update-without-where", "UPDATE without WHERE");
	PG("UPDATE users SET a = lower(a) WHERE a <> lower(a);", "",
	   "a WHERE after a function call counts");
	PG("UPDATE users SET a = (SELECT max(x) FROM t WHERE t.u = users.id);",
	   "2:update-without-where", "a WHERE inside a subquery does not count");
	PG("UPDATE t SET a = CASE WHEN b THEN 1 ELSE 2 END;", "2:update-without-where",
	   "CASE does not hide the UPDATE");
	PG("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d;",
	   "2:delete-without-where", "DELETE in a CTE");
	PG("WITH x AS (SELECT 1) DELETE FROM t;", "2:delete-without-where",
	   "DELETE after a CTE");
	PG("INSERT INTO t VALUES (1) ON CONFLICT (a) DO UPDATE SET b = 2;", "",
	   "ON CONFLICT DO UPDATE touches the conflicting row only");
	PG("ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u (id) ON UPDATE CASCADE NOT VALID;",
	   "", "ON UPDATE CASCADE is no UPDATE");
	PG("SELECT * FROM t FOR UPDATE;", "", "FOR UPDATE is no UPDATE");
	PG("DROP SCHEMA archive CASCADE;", "2:drop-schema", "DROP SCHEMA");
	PG_NOTXN("DROP DATABASE old;", "2:drop-database", "DROP DATABASE");
	PG("DROP DATABASE old;", "2:drop-database,2:needs-no-transaction",
	   "DROP DATABASE in a transaction also fails");
	PG("DROP VIEW v; DROP FUNCTION f(); DROP SEQUENCE s;", "",
	   "dropping views, functions, sequences loses no rows");
}

/* The direction under review: which sections report, and data loss in a
 * downgrade ranked as an error. */
static void test_direction(void)
{
	const char *up = "CREATE TABLE refunds (id int);\nCREATE INDEX ix_r ON refunds (id);\n"
	                 "DELETE FROM notifications;";
	const char *down = "DROP INDEX ix_old;\nDROP TABLE refunds;";
	struct lint *l = lint_new(SQL_POSTGRES);
	STEP(l, up, down, true, "4:delete-without-where/error,6:drop-index/warning,"
	     "7:drop-table/info",
	     "both directions: a downgrade's own drop ranks as info");
	lint_free(l);
	l = lint_new(SQL_POSTGRES);
	lint_set_direction(l, LINT_UP);
	STEP(l, up, down, true, "4:delete-without-where/error", "up: the upgrade section only");
	lint_free(l);
	l = lint_new(SQL_POSTGRES);
	lint_set_direction(l, LINT_DOWN);
	STEP(l, up, down, true, "6:drop-index/warning,7:drop-table/error",
	     "down: the downgrade section only, its data loss an error");
	STEP(l, "CREATE TABLE t (a int);", NULL, true, "1:irreversible/warning",
	     "down: a script without a downgrade is reported in every direction");
	lint_free(l);

	enum lint_direction d;
	ok(lint_direction_parse("down", &d) && d == LINT_DOWN, "down parses");
	ok(lint_direction_parse("up", &d) && d == LINT_UP, "up parses");
	ok(!lint_direction_parse("sideways", &d), "an unknown direction does not");
	ok(lint_rules[LINT_DROP_TABLE].data_loss && lint_rules[LINT_DELETE_ALL].data_loss &&
	   !lint_rules[LINT_DROP_INDEX].data_loss, "data loss is a property of the rule");
}

static void test_types(void)
{
	const char *create = "CREATE TABLE p (name varchar(255), price numeric(10,2), "
	                     "qty integer, born timestamp, note text);\n";
	struct { const char *alter, *want, *what; } cases[] = {
		{"ALTER TABLE p ALTER COLUMN name TYPE varchar(50);", "2:type-narrowing",
		 "a shorter varchar narrows"},
		{"ALTER TABLE p ALTER name TYPE varchar(500);", "", "a longer varchar widens"},
		{"ALTER TABLE p ALTER COLUMN name TYPE text;", "", "varchar to text widens"},
		{"ALTER TABLE p ALTER COLUMN note TYPE varchar(10);", "2:type-narrowing",
		 "text to varchar(n) narrows"},
		{"ALTER TABLE p ALTER COLUMN price TYPE numeric(12,2);", "",
		 "more precision, same scale: no rewrite"},
		{"ALTER TABLE p ALTER COLUMN price TYPE numeric(8,2);", "2:type-narrowing",
		 "less precision narrows"},
		{"ALTER TABLE p ALTER COLUMN price TYPE numeric(10,1);", "2:type-narrowing",
		 "a smaller scale narrows"},
		{"ALTER TABLE p ALTER COLUMN price TYPE integer;", "2:type-narrowing",
		 "numeric to integer rounds"},
		{"ALTER TABLE p ALTER COLUMN qty TYPE bigint;", "2:type-change",
		 "int to bigint rewrites"},
		{"ALTER TABLE p ALTER COLUMN qty TYPE smallint;", "2:type-narrowing",
		 "int to smallint narrows"},
		{"ALTER TABLE p ALTER COLUMN born TYPE date;", "2:type-narrowing",
		 "timestamp to date drops the time"},
		{"ALTER TABLE p ALTER COLUMN qty SET DATA TYPE integer;", "", "same type"},
		{"ALTER TABLE p ALTER COLUMN qty TYPE integer USING qty + 1;", "2:type-change",
		 "USING rewrites"},
		{"ALTER TABLE p ALTER COLUMN gone TYPE integer;", "2:type-change",
		 "an unknown column's change may narrow"},
		{"ALTER TABLE p ALTER COLUMN note TYPE jsonb USING note::jsonb;", "2:type-change",
		 "text to jsonb converts"},
	};
	for (size_t i = 0; i < RT_ARRAY_LEN(cases); i++) {
		struct lint *l = lint_new(SQL_POSTGRES);
		/* The CREATE TABLE is an earlier script's: the ALTER is on a table
		 * that has rows. */
		STEP(l, create, "SELECT 1;", false, "", "CREATE TABLE p");
		STEP(l, cases[i].alter, "SELECT 1;", false, cases[i].want, "%s", cases[i].what);
		lint_free(l);
	}
	LITE("CREATE TABLE p (a varchar(9));\nALTER TABLE p ALTER COLUMN a TYPE text;",
	     "3:sqlite-alter", "SQLite has no ALTER COLUMN, even on a new table");
	LITE("ALTER TABLE p ALTER COLUMN a TYPE text;", "2:sqlite-alter",
	     "SQLite has no ALTER COLUMN");
}

static void test_locks(void)
{
	PG("CREATE INDEX ix ON t (a);", "2:create-index", "CREATE INDEX");
	PG("CREATE UNIQUE INDEX IF NOT EXISTS ix ON ONLY t (a);", "2:create-index",
	   "CREATE UNIQUE INDEX IF NOT EXISTS");
	PG("CREATE INDEX ON t (a);", "2:create-index", "an unnamed index");
	PG_NOTXN("CREATE INDEX CONCURRENTLY ix ON t (a);", "", "CONCURRENTLY, no transaction");
	PG("CREATE INDEX CONCURRENTLY ix ON t (a);", "2:concurrently-in-transaction",
	   "CONCURRENTLY in a transaction fails");
	PG("CREATE TABLE t (a int);\nCREATE INDEX ix ON t (a);", "",
	   "an index on a table created in the same script");
	PG("CREATE TABLE t (a int);", "", "CREATE TABLE alone");
	LITE("CREATE INDEX ix ON t (a);", "", "SQLite: no index lock rule");
	PG("DROP INDEX ix;", "2:drop-index", "DROP INDEX");
	{
		struct lint *l = lint_new(SQL_POSTGRES);
		STEP(l, "CREATE TABLE t (a int, b int);\nCREATE INDEX ta ON t (a);\n"
		        "CREATE INDEX tb ON t (b);\nCREATE TABLE u (a int);\nCREATE INDEX ua ON u (a);",
		     "SELECT 1;", false, "", "tables and indexes");
		STEP(l, "DROP INDEX ta;\nDROP INDEX ua;\nDROP TABLE t;", "SELECT 1;", false,
		     "3:drop-index,4:drop-table",
		     "DROP INDEX before a DROP TABLE of its table is not reported twice");
		lint_free(l);
	}
	PG_NOTXN("DROP INDEX CONCURRENTLY ix;", "", "DROP INDEX CONCURRENTLY");
	PG("ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id);",
	   "2:add-foreign-key", "FOREIGN KEY");
	PG("ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) NOT VALID;", "",
	   "FOREIGN KEY NOT VALID");
	PG("ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);", "2:add-check", "CHECK");
	PG("ALTER TABLE t ADD CHECK (a > 0) NOT VALID;", "", "CHECK NOT VALID");
	PG("ALTER TABLE t VALIDATE CONSTRAINT c;", "", "VALIDATE CONSTRAINT");
	PG("ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\n"
	   "ALTER TABLE t VALIDATE CONSTRAINT c;", "3:add-check",
	   "VALIDATE in the transaction of its NOT VALID still scans under the lock");
	PG("ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u NOT VALID;\n"
	   "ALTER TABLE t VALIDATE CONSTRAINT f;", "3:add-foreign-key",
	   "the same for a foreign key");
	PG_NOTXN("ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\n"
	         "ALTER TABLE t VALIDATE CONSTRAINT c;", "",
	         "without a transaction, each statement commits: no finding");
	PG("ALTER TABLE t ADD CONSTRAINT k UNIQUE (a);", "2:add-unique", "UNIQUE");
	PG("ALTER TABLE t ADD PRIMARY KEY (a);", "2:add-unique", "PRIMARY KEY");
	PG("ALTER TABLE t ADD CONSTRAINT k UNIQUE USING INDEX ix;", "",
	   "UNIQUE USING INDEX");
	PG("ALTER TABLE t ALTER COLUMN a SET NOT NULL;", "2:set-not-null", "SET NOT NULL");
	{
		/* The path around the scan, over three revisions. */
		struct lint *l = lint_new(SQL_POSTGRES);
		STEP(l, "CREATE TABLE r (v int, w int);", "SELECT 1;", false, "", "CREATE TABLE r");
		STEP(l, "ALTER TABLE r ADD CONSTRAINT v_nn CHECK (v IS NOT NULL) NOT VALID;\n"
		        "ALTER TABLE r ADD CONSTRAINT w_nn CHECK (w IS NOT NULL) NOT VALID;",
		     "SELECT 1;", false, "", "CHECK (col IS NOT NULL) NOT VALID");
		STEP(l, "ALTER TABLE r VALIDATE CONSTRAINT v_nn;", "SELECT 1;", false, "",
		     "validated in a later revision");
		STEP(l, "ALTER TABLE r ALTER COLUMN v SET NOT NULL;\n"
		        "ALTER TABLE r ALTER COLUMN w SET NOT NULL;", "SELECT 1;", false,
		     "3:set-not-null",
		     "SET NOT NULL after a validated CHECK (col IS NOT NULL) skips the scan; "
		     "without validation it does not");
		lint_free(l);
	}
	PG("ALTER TABLE t ALTER COLUMN a SET DEFAULT 0;", "", "SET DEFAULT");
	PG("ALTER TABLE t ADD COLUMN a timestamptz DEFAULT now();", "",
	   "a stable default is stored once (PostgreSQL 11+)");
	PG("ALTER TABLE t ADD COLUMN a int DEFAULT 0;", "", "a constant default");
	PG("ALTER TABLE t ADD COLUMN a float DEFAULT random();", "2:volatile-default",
	   "random()");
	PG("ALTER TABLE t ADD COLUMN a timestamptz DEFAULT clock_timestamp();",
	   "2:volatile-default", "clock_timestamp()");
	PG("ALTER TABLE t ADD COLUMN a bigint DEFAULT nextval('s');", "2:volatile-default",
	   "nextval");
	PG("ALTER TABLE t ADD COLUMN id serial;", "2:volatile-default", "serial");
	PG("ALTER TABLE t ADD COLUMN id int GENERATED ALWAYS AS IDENTITY;",
	   "2:volatile-default", "identity");
	PG("ALTER TABLE t ADD COLUMN b int GENERATED ALWAYS AS (a * 2) STORED;",
	   "2:volatile-default", "a stored generated column");
	PG("REINDEX TABLE t;", "2:reindex", "REINDEX");
	PG_NOTXN("REINDEX TABLE CONCURRENTLY t;", "", "REINDEX CONCURRENTLY");
	PG_NOTXN("REINDEX (CONCURRENTLY) INDEX ix;", "", "REINDEX (CONCURRENTLY)");
	PG("REINDEX SCHEMA public;", "2:reindex,2:needs-no-transaction",
	   "REINDEX SCHEMA cannot run in a transaction");
	PG_NOTXN("VACUUM FULL t;", "2:vacuum-full", "VACUUM FULL");
	PG_NOTXN("VACUUM (FULL, ANALYZE) t;", "2:vacuum-full", "VACUUM (FULL)");
	PG_NOTXN("VACUUM ANALYZE t;", "", "plain VACUUM outside a transaction");
	PG("VACUUM t;", "2:needs-no-transaction", "VACUUM in a transaction");
	LITE("VACUUM;", "2:needs-no-transaction", "SQLite: VACUUM in a transaction");
	PG("CLUSTER t USING ix;", "2:cluster", "CLUSTER");
	PG("LOCK TABLE t IN ACCESS EXCLUSIVE MODE;", "2:lock-table", "LOCK TABLE");
	PG("LOCK t;", "2:lock-table", "LOCK without TABLE");
	PG("ALTER SYSTEM SET work_mem = '64MB';", "2:needs-no-transaction", "ALTER SYSTEM");
	PG("ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY;", "2:concurrently-in-transaction",
	   "DETACH PARTITION CONCURRENTLY");
	PG("ALTER TABLE p DETACH PARTITION p1;", "2:detach-partition", "DETACH PARTITION");
	PG_NOTXN("ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY;", "",
	         "DETACH PARTITION CONCURRENTLY outside a transaction");
}

static void test_renames_and_failures(void)
{
	PG("ALTER TABLE a RENAME TO b;", "2:rename-table", "RENAME TO");
	PG("ALTER TABLE a RENAME COLUMN x TO y;", "2:rename-column", "RENAME COLUMN");
	PG("ALTER TABLE a RENAME x TO y;", "2:rename-column", "RENAME without COLUMN");
	PG("ALTER TABLE a RENAME CONSTRAINT x TO y;", "", "RENAME CONSTRAINT");
	PG("ALTER VIEW v RENAME TO w;", "2:rename-table", "a view's rename");
	PG("ALTER INDEX i RENAME TO j;", "", "an index's rename breaks no query");
	PG("CREATE TABLE a (x int);\nALTER TABLE a RENAME TO b;\nDROP TABLE b;", "",
	   "renaming a new table: still new");
	PG("ALTER TABLE t ADD COLUMN a int NOT NULL;", "2:add-column-not-null",
	   "NOT NULL without DEFAULT");
	PG("ALTER TABLE t ADD COLUMN a int NOT NULL DEFAULT NULL;", "2:add-column-not-null",
	   "DEFAULT NULL is no default");
	PG("ALTER TABLE t ADD COLUMN a int DEFAULT 1 NOT NULL;", "", "NOT NULL with DEFAULT");
	PG("ALTER TABLE t ADD COLUMN a int REFERENCES u ON DELETE SET DEFAULT;", "",
	   "SET DEFAULT of a foreign key is no column default (an all-NULL column: no check)");
	PG("ALTER TABLE t ADD COLUMN a int DEFAULT 1 REFERENCES u ON DELETE SET DEFAULT;",
	   "2:add-foreign-key", "a new column with a default is checked against the key");
	LITE("ALTER TABLE t ADD COLUMN a int NOT NULL;", "2:add-column-not-null",
	     "SQLite: NOT NULL without DEFAULT");
	LITE("ALTER TABLE t ADD COLUMN a int DEFAULT (random());", "2:sqlite-alter",
	     "SQLite: a non-constant default");
	LITE("ALTER TABLE t ADD COLUMN a int PRIMARY KEY;", "2:sqlite-alter",
	     "SQLite: ADD COLUMN PRIMARY KEY");
	LITE("ALTER TABLE t ADD COLUMN a int AS (b + 1) STORED;", "2:sqlite-alter",
	     "SQLite: a stored generated column");
	LITE("ALTER TABLE t ADD COLUMN a int AS (b + 1);", "",
	     "SQLite: a virtual generated column");
	LITE("ALTER TABLE t ADD a int;", "", "SQLite: ADD without COLUMN");
	LITE("ALTER TABLE t DROP CONSTRAINT c;", "2:sqlite-alter",
	     "SQLite: DROP CONSTRAINT");
	PG("ALTER TABLE t DROP CONSTRAINT c;", "", "PostgreSQL: DROP CONSTRAINT");
	PG("INSERT INTO t VALUES ('unterminated);", "2:parse-error", "unterminated string");
	PG("SELECT 1; /* never closed", "2:parse-error", "unterminated comment");
}

static void test_traps(void)
{
	PG("INSERT INTO n VALUES ('DROP TABLE users; DELETE FROM users');", "",
	   "keywords in a string");
	PG("INSERT INTO n VALUES (E'it\\'s; DROP TABLE x');", "", "an E'' string with \\'");
	PG("SELECT \"drop table\" FROM \"delete\";", "", "keywords as quoted identifiers");
	PG("-- DROP TABLE users;\nSELECT 1;", "", "keywords in a line comment");
	PG("/* DROP /* nested */ TABLE x; */ SELECT 1;", "", "a nested block comment");
	PG("SELECT $x$ DROP TABLE a; $x$;", "", "a dollar-quoted string");
	PG("CREATE FUNCTION f() RETURNS void AS $$ DELETE FROM t; $$ LANGUAGE sql;", "",
	   "a function body runs later, not at migration time");
	PG("DO $$ BEGIN DROP TABLE t; END $$;", "2:drop-table", "a DO block runs now");
	PG("DO $$\nBEGIN\n  IF true THEN\n    UPDATE t SET a = 1;\n  END IF;\nEND $$;",
	   "5:update-without-where", "a DO block finding has the inner statement's line");
	PG_NOTXN("DO $$ BEGIN CREATE INDEX CONCURRENTLY i ON t (a); END $$;",
	   "2:concurrently-in-transaction", "a DO block is always a transaction");
	LITE("SELECT [drop table], `truncate` FROM t;", "", "SQLite quoted identifiers");
	LITE("CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM u; UPDATE v SET a = 1; END;",
	     "", "statements in a trigger body run later");
	PG("BEGIN;\nALTER TABLE t ADD COLUMN a int;\nCOMMIT;",
	   "2:transaction-control,4:transaction-control", "BEGIN and COMMIT in a transaction");
	LITE("BEGIN TRANSACTION;\nSELECT 1;\nEND TRANSACTION;",
	     "2:transaction-control,4:transaction-control", "SQLite: BEGIN and END");
	PG("START TRANSACTION; ROLLBACK;", "2:transaction-control,2:transaction-control",
	   "START TRANSACTION and ROLLBACK");
	PG("SAVEPOINT a; ROLLBACK TO SAVEPOINT a; RELEASE a; ROLLBACK TO a;", "",
	   "savepoints stay inside the transaction");
	PG("PREPARE TRANSACTION 'x';\nROLLBACK PREPARED 'x';",
	   "2:transaction-control,3:transaction-control",
	   "PREPARE TRANSACTION and ROLLBACK PREPARED, as the runner refuses them");
	PG_NOTXN("BEGIN;\nSELECT 1;\nCOMMIT;", "", "Transaction: none manages its own");
	PG("DO $$ BEGIN PERFORM 1; END $$;", "", "BEGIN … END of a DO body");
	PG("drop table users;", "2:drop-table", "keywords in lowercase");
	{
		struct lint *l = lint_new(SQL_POSTGRES);
		struct lint_findings f;
		lint_findings_init(&f);
		lint_pair(l, "DROP TABLE \"a\nb\";", "SELECT 1;", true, &f);
		ok(f.n == 1 && !strchr(f.v[0].message, '\n'),
		   "a line break in a quoted name stays out of the message");
		lint_findings_free(&f);
		lint_free(l);
	}
	PG("SELECT 1;\n\n  DrOp\n  TABLE x;", "4:drop-table",
	   "the line is the statement's first line");
}

static void test_ignore(void)
{
	PG("-- retort:ignore drop-table\nDROP TABLE a;", "", "ignore on the line above");
	PG("DROP TABLE a; -- retort:ignore drop-table", "", "ignore on the same line");
	PG("-- retort:ignore drop-table\n\nDROP TABLE a;", "4:drop-table",
	   "an ignore two lines above does not apply");
	PG("-- retort:ignore truncate\nDROP TABLE a;", "3:drop-table",
	   "an ignore of another rule does not apply");
	PG("-- retort:ignore truncate,drop-table\nDROP TABLE a;", "", "a list of rules");
	PG("-- retort:ignore truncate , drop-table because archived\nDROP TABLE a;", "",
	   "spaces around commas, and a reason after");
	PG("-- retort:ignore drop-tables\nDROP TABLE a;", "2:unknown-ignore,3:drop-table",
	   "a misspelt rule is reported and silences nothing");
	PG("SELECT '-- retort:ignore drop-table';\nDROP TABLE a;", "3:drop-table",
	   "an ignore inside a string is no comment");
	PG("-- retort:ignore drop-table\nDROP TABLE a; DROP TABLE b;\nDROP TABLE c;",
	   "4:drop-table", "an ignore covers every statement of its line");

	/* irreversible: silenced from the header */
	struct lint *l = lint_new(SQL_SQLITE);
	STEP(l, "UPDATE t SET a = 1 WHERE b;", NULL, true, "1:irreversible/warning",
	     "no downgrade: irreversible, at the marker");
	static const char text[] = "-- x\n-- retort:ignore irreversible\n-- Revision ID: a\n\n"
	                           "-- migrate:upgrade\nSELECT 1;\n";
	struct lint_text in = {.file = "a.sql", .revision = "a", .text = text,
	                       .len = sizeof(text) - 1, .transactional = true};
	in.up_off = strstr(text, "SELECT") - text;
	in.up_len = in.len - in.up_off;
	in.up_line = 6;
	struct lint_findings f;
	lint_findings_init(&f);
	lint_text(l, &in, true, &f);
	is_int(f.n, 0, "an ignore in the header silences irreversible");
	lint_findings_free(&f);
	STEP(l, "CREATE TABLE a (x int);", "", true, "3:empty-downgrade/info",
	     "an empty downgrade is info");
	STEP(l, "CREATE TABLE a (x int);", "-- retort:ignore empty-downgrade\n", true, "",
	     "an ignore in the empty downgrade silences it");
	STEP(l, "", "", true, "", "a merge revision (both sections empty) is fine");
	lint_free(l);
}

static void test_model(void)
{
	struct lint *l = lint_new(SQL_SQLITE);
	STEP(l, "CREATE TABLE u (id INTEGER PRIMARY KEY, a TEXT, b TEXT UNIQUE, c TEXT,"
	        " d TEXT, UNIQUE (d));\nCREATE INDEX ix_a ON u (lower(a));",
	     "DROP TABLE u;", true, "5:drop-table/info",
	     "a downgrade dropping its upgrade's table is info");
	/* The downgrade drops the index; the next script must still see it. */
	STEP(l, "ALTER TABLE u ADD COLUMN e TEXT;", "DROP INDEX ix_a;\n"
	     "ALTER TABLE u DROP COLUMN a;\nALTER TABLE u DROP COLUMN e;", true,
	     "5:drop-column/error,6:drop-column/info",
	     "in the downgrade, a dropped index frees its column");
	STEP(l, "ALTER TABLE u DROP COLUMN a;\nALTER TABLE u DROP COLUMN b;\n"
	        "ALTER TABLE u DROP COLUMN c;\nALTER TABLE u DROP COLUMN d;\n"
	        "ALTER TABLE u DROP COLUMN id;", "SELECT 1;", false,
	     "2:drop-column,2:sqlite-drop-column,3:drop-column,3:sqlite-drop-column,"
	     "4:drop-column,5:drop-column,5:sqlite-drop-column,6:drop-column,"
	     "6:sqlite-drop-column",
	     "indexed (expression), UNIQUE, table UNIQUE and PRIMARY KEY columns; "
	     "the downgrade's DROP INDEX was undone");
	/* A rename carries what is known about the columns. */
	STEP(l, "CREATE TABLE k (v TEXT);\n", "SELECT 1;", false, "", "CREATE TABLE k");
	STEP(l, "CREATE INDEX ix_v ON k (v);\nALTER TABLE k RENAME TO k2;\n"
	        "ALTER TABLE k2 RENAME COLUMN v TO w;\nALTER TABLE k2 DROP COLUMN w;",
	     "SELECT 1;", false,
	     "3:rename-table,4:rename-column,5:drop-column,5:sqlite-drop-column",
	     "renames keep the index on the column");
	lint_free(l);

	/* report false: learn only */
	l = lint_new(SQL_POSTGRES);
	struct lint_findings f;
	lint_findings_init(&f);
	struct lint_text in = {.file = "a", .revision = "a", .transactional = true};
	static const char create[] = "CREATE TABLE p (n varchar(10)); DROP TABLE old;";
	in.text = create;
	in.len = in.up_len = strlen(create);
	in.up_line = 1;
	lint_text(l, &in, false, &f);
	is_int(f.n, 0, "learning reports nothing");
	lint_findings_free(&f);
	STEP(l, "ALTER TABLE p ALTER COLUMN n TYPE varchar(5);", "SELECT 1;", false,
	     "2:type-narrowing", "but what it learnt is used");
	lint_free(l);
}

/* ---- the lock table (lint_forms.h) ---- */

/* Findings of sql, linted as a script after LINT_FORMS_FIXTURE (an
 * earlier revision). */
static void lint_after_fixture(const char *sql, bool txn, struct lint_findings *f)
{
	struct lint *l = lint_new(SQL_POSTGRES);
	struct lint_findings learn;
	lint_findings_init(&learn);
	lint_pair(l, LINT_FORMS_FIXTURE, "SELECT 1;", true, &learn);
	lint_findings_free(&learn);
	lint_pair(l, sql, "SELECT 1;", txn, f);
	lint_free(l);
}

static bool has_rule(const struct lint_findings *f, int rule)
{
	for (uint32_t i = 0; i < f->n; i++)
		if ((int)f->v[i].rule == rule)
			return true;
	return false;
}

static void test_forms(void)
{
	{
		struct lint *l = lint_new(SQL_POSTGRES);
		STEP(l, LINT_FORMS_FIXTURE, "SELECT 1;", false, "",
		     "the examples' schema lints clean");
		lint_free(l);
	}
	bool covered[LINT_NRULES] = {false};
	for (int i = 0; i < LINT_NFORMS; i++) {
		const struct lint_form_info *fi = &lint_forms[i];
		struct lint_findings f;
		char *got;
		if (fi->rule != LINT_SAFE)
			covered[fi->rule] = true;

		lint_findings_init(&f);
		lint_after_fixture(fi->example, true, &f);
		got = describe(&f, false);
		if (fi->rule == LINT_SAFE)
			is_str(got, "", "%s: lint stays silent on %s", fi->name, fi->example);
		else
			ok(has_rule(&f, fi->rule), "%s: %s is flagged %s (got %s)", fi->name,
			   fi->example, lint_rules[fi->rule].id, got);
		free(got);
		lint_findings_free(&f);

		if (!fi->safe[0])
			continue;
		lint_findings_init(&f);
		lint_after_fixture(fi->safe, !(fi->flags & FORM_SAFE_NOTXN), &f);
		got = describe(&f, false);
		is_str(got, "", "%s: its safe form is not flagged: %s%s", fi->name, fi->safe,
		       fi->flags & FORM_SAFE_NOTXN ? " (Transaction: none)" : "");
		free(got);
		lint_findings_free(&f);
	}

	/* The classes agree with what the rows say PostgreSQL does. */
	for (int i = 0; i < LINT_NFORMS; i++) {
		const struct lint_form_info *fi = &lint_forms[i];
		bool consistent = true;
		switch (fi->rule) {
		case LINT_TABLE_REWRITE:
			consistent = fi->effect == EFFECT_REWRITE && fi->lock == LOCK_ACCESS_EXCLUSIVE;
			break;
		case LINT_BLOCKS_READS:
			consistent = fi->effect == EFFECT_SCAN && fi->lock == LOCK_ACCESS_EXCLUSIVE;
			break;
		case LINT_LONG_LOCK:
			consistent = (fi->effect == EFFECT_SCAN || fi->effect == EFFECT_BUILD) &&
			             fi->lock >= LOCK_SHARE && fi->lock < LOCK_ACCESS_EXCLUSIVE;
			break;
		case LINT_NEEDS_NO_TXN:
		case LINT_CONCURRENTLY_TXN:
			consistent = fi->effect == EFFECT_FAILS;
			break;
		case LINT_SAFE:
			/* a rewrite, a scan under a lock that blocks writes, or a
			 * failure always has a rule */
			consistent = fi->effect == EFFECT_CATALOG ||
			             (fi->effect == EFFECT_SCAN && fi->lock < LOCK_SHARE) ||
			             (fi->effect == EFFECT_SCAN && fi->lock == LOCK_EXCLUSIVE);
			break;
		}
		ok(consistent, "%s: its rule fits its lock and effect", fi->name);
		ok(fi->form[0] && fi->example[0] &&
		   (fi->rule == LINT_SAFE || fi->effect == EFFECT_FAILS || fi->alternative[0]),
		   "%s: a statement form, an example, and an alternative where it is flagged",
		   fi->name);
	}
	/* Every rule about PostgreSQL's locks has its forms in the table. */
	for (int r = 0; r < LINT_NRULES; r++)
		if (lint_rules[r].dialects == LINT_PG)
			ok(covered[r], "rule %s has its rows in the lock table", lint_rules[r].id);
}

/* docs/lint.md's lock table is lint_forms_markdown()'s, between its
 * markers: a change to the table without the docs fails here (`make
 * update-lint-docs` rewrites the section). */
static void test_forms_docs(void)
{
	char *doc, *path = xasprintf("%s/docs/lint.md", RT_SRCDIR);
	size_t len;
	if (read_file(path, &doc, &len, NULL) != RT_OK) {
		ok(0, "docs/lint.md is readable");
		free(path);
		return;
	}
	const char *begin = strstr(doc, LINT_FORMS_BEGIN), *end = strstr(doc, LINT_FORMS_END);
	ok(begin && end && begin < end, "docs/lint.md marks its lock table");
	if (begin && end && begin < end) {
		begin += strlen(LINT_FORMS_BEGIN);
		struct strbuf want = STRBUF_INIT;
		sb_addc(&want, '\n');
		lint_forms_markdown(&want);
		sb_addc(&want, '\n');
		char *have = xstrndup(begin, (size_t)(end - begin));
		is_str(have, sb_str(&want),
		       "docs/lint.md's lock table is the one in lint_forms.h (make update-lint-docs)");
		free(have);
		sb_free(&want);
	}
	free(doc);
	free(path);
}

static void test_always_true(void)
{
	PG("DELETE FROM t WHERE true;", "2:delete-without-where", "WHERE true");
	PG("DELETE FROM t WHERE 1 = 1;", "2:delete-without-where", "WHERE 1 = 1");
	PG("DELETE FROM t WHERE 1=1;", "2:delete-without-where", "WHERE 1=1");
	PG("DELETE FROM t WHERE 'a' = 'a';", "2:delete-without-where", "WHERE 'a' = 'a'");
	PG("DELETE FROM t WHERE id = 5 OR 1 = 1;", "2:delete-without-where",
	   "OR 1 = 1 at the top level");
	PG("DELETE FROM t WHERE (id = 5) OR (TRUE);", "2:delete-without-where",
	   "OR (TRUE), parenthesised");
	PG("DELETE FROM t WHERE NOT false;", "2:delete-without-where", "NOT false");
	PG("DELETE FROM t WHERE 1 <> 2 AND 'x' != 'y';", "2:delete-without-where",
	   "comparisons of different literals");
	PG("DELETE FROM t WHERE (1 = 1 AND true) RETURNING *;", "2:delete-without-where",
	   "RETURNING ends the condition");
	LITE("DELETE FROM t WHERE 1;", "2:delete-without-where", "SQLite: WHERE 1");
	PG("UPDATE t SET a = 0 WHERE true;", "2:update-without-where", "UPDATE … WHERE true");
	PG("UPDATE t SET a = 0 WHERE 2 > 1 OR a IS NULL;", "2:update-without-where",
	   "UPDATE … WHERE 2 > 1 OR …");
	PG("WITH x AS (DELETE FROM t WHERE 1 = 1 RETURNING id) SELECT * FROM x;",
	   "2:delete-without-where", "in a CTE");
	PG("DELETE FROM t WHERE id = 1 AND 1 = 1;", "", "AND 1 = 1 still names rows");
	PG("DELETE FROM t WHERE 1 = 0;", "", "a false WHERE deletes nothing");
	PG("DELETE FROM t WHERE a = a;", "", "a column compared with itself depends on the row");
	PG("DELETE FROM t WHERE 'a' = 'b' OR id = 2;", "", "a false branch, then a real one");
	PG("DELETE FROM t WHERE id BETWEEN 1 AND 5;", "", "the AND of BETWEEN");
	PG("DELETE FROM t WHERE CASE WHEN a OR true THEN b END;", "",
	   "an OR inside CASE is not at the top level");
	PG("DELETE FROM t WHERE (id = 1 OR true) AND id = 2;", "",
	   "a true group AND a real condition");
	PG("DELETE FROM t WHERE id IN (SELECT id FROM u WHERE true);", "",
	   "a true WHERE in a subquery");
	PG("DELETE FROM t WHERE E'a' = 'b';", "", "an escape string is not compared");
}

static void test_forms_context(void)
{
	struct lint *l = lint_new(SQL_POSTGRES);
	STEP(l, "CREATE TABLE pp (k int) PARTITION BY LIST (k);\n"
	        "CREATE TABLE pp_d PARTITION OF pp DEFAULT;\n"
	        "CREATE TABLE pp_1 PARTITION OF pp FOR VALUES IN (1);", "SELECT 1;", false, "",
	     "partitions of a table created in the same section");
	STEP(l, "CREATE TABLE pp_2 PARTITION OF pp FOR VALUES IN (2);", "SELECT 1;", false,
	     "2:blocks-reads", "a partition of a table with a default partition");
	char *got = step(l, "ALTER TABLE pp DETACH PARTITION pp_d CONCURRENTLY;", "SELECT 1;",
	                 false, false);
	is_str(got, "", "the default partition detached (Transaction: none)");
	free(got);
	STEP(l, "CREATE TABLE pp_3 PARTITION OF pp FOR VALUES IN (3);", "SELECT 1;", false, "",
	     "no default partition any more");
	STEP(l, "CREATE TABLE x (k int);\nALTER TABLE pp ATTACH PARTITION x FOR VALUES IN (4);",
	     "SELECT 1;", false, "", "attaching a table created in the same section");
	STEP(l, "ALTER TABLE x ADD CONSTRAINT x_k CHECK (k = 5) NOT VALID;", "SELECT 1;", false,
	     "", "a NOT VALID check");
	STEP(l, "ALTER TABLE pp ATTACH PARTITION x FOR VALUES IN (5);", "SELECT 1;", false,
	     "2:blocks-reads", "a NOT VALID check proves nothing");
	STEP(l, "ALTER TABLE pp DETACH PARTITION x;\nALTER TABLE x ADD CONSTRAINT x_f FOREIGN KEY "
	        "(k) REFERENCES u NOT VALID;", "SELECT 1;", false, "2:detach-partition", "a key");
	STEP(l, "ALTER TABLE x VALIDATE CONSTRAINT x_f;\n"
	        "ALTER TABLE pp ATTACH PARTITION x FOR VALUES IN (5);", "SELECT 1;", false,
	     "3:blocks-reads", "a validated foreign key proves nothing either");
	STEP(l, "ALTER TABLE pp DETACH PARTITION x CONCURRENTLY;", "SELECT 1;", false,
	     "2:concurrently-in-transaction", "detached again");
	STEP(l, "ALTER TABLE x VALIDATE CONSTRAINT x_k;\n"
	        "ALTER TABLE pp ATTACH PARTITION x FOR VALUES IN (5);", "SELECT 1;", false, "",
	     "once the CHECK is validated, lint trusts it");
	lint_free(l);

	l = lint_new(SQL_POSTGRES);
	STEP(l, "CREATE DOMAIN email AS text;\nCREATE DOMAIN code AS text NOT NULL;\n"
	        "CREATE TABLE c (id int);", "SELECT 1;", false, "", "domains");
	STEP(l, "ALTER TABLE c ADD COLUMN e email, ADD COLUMN k public.code DEFAULT 'x';",
	     "SELECT 1;", false, "2:table-rewrite",
	     "a column of a domain with NOT NULL rewrites; a plain domain does not");
	STEP(l, "ALTER DOMAIN email ADD CONSTRAINT at CHECK (VALUE LIKE '%@%') NOT VALID;\n"
	        "ALTER TABLE c ADD COLUMN e2 email;", "SELECT 1;", false, "3:table-rewrite",
	     "a domain that gains a constraint");
	STEP(l, "DROP DOMAIN email CASCADE;\nCREATE DOMAIN email AS text;\n"
	        "ALTER DOMAIN email ADD CONSTRAINT at CHECK (VALUE LIKE '%@%');",
	     "SELECT 1;", false, "", "a domain created in the same section is used nowhere yet");
	lint_free(l);

	PG("ALTER TYPE mood ADD VALUE 'sad';\nUPDATE t SET m = 'sad' WHERE id = 1;",
	   "3:needs-no-transaction", "a new enum value used in the same transaction");
	PG_NOTXN("ALTER TYPE mood ADD VALUE 'sad';\nUPDATE t SET m = 'sad' WHERE id = 1;", "",
	         "with Transaction: none the value is committed first");
	PG("ALTER TYPE mood ADD VALUE IF NOT EXISTS 'sad';\nSELECT 'happy';", "",
	   "another string is no use of the value");
	PG("CREATE TABLE n (id int);\nALTER TABLE n SET TABLESPACE fast;\n"
	   "ALTER TABLE n SET UNLOGGED;", "", "moving or unlogging a new table is free");
	PG("ALTER TABLE t SET TABLESPACE fast, SET (fillfactor = 50);", "2:table-rewrite",
	   "one action of several");
	PG("ALTER TABLE t ALTER COLUMN g SET EXPRESSION AS (a + 1);", "2:table-rewrite",
	   "SET EXPRESSION (17)");
	PG("ALTER INDEX IF EXISTS ix SET TABLESPACE fast;", "2:table-rewrite",
	   "ALTER INDEX … SET TABLESPACE");
	PG("ALTER MATERIALIZED VIEW mv SET ACCESS METHOD heap2;", "2:table-rewrite",
	   "ALTER MATERIALIZED VIEW … SET ACCESS METHOD");
	PG("REFRESH MATERIALIZED VIEW CONCURRENTLY mv WITH DATA;", "",
	   "REFRESH … CONCURRENTLY");
	PG("CLUSTER VERBOSE;", "2:cluster,2:needs-no-transaction", "CLUSTER VERBOSE");
	PG_NOTXN("CLUSTER;", "2:cluster", "CLUSTER outside a transaction");
	l = lint_new(SQL_POSTGRES);
	STEP(l, "CREATE TABLE e (ts timestamp, tz timestamptz);", "SELECT 1;", false, "",
	     "timestamps");
	STEP(l, "SET TIME ZONE 'UTC';\nALTER TABLE e ALTER COLUMN ts TYPE timestamptz;\n"
	        "ALTER TABLE e ALTER COLUMN tz TYPE timestamp;", "SELECT 1;", false, "",
	     "SET TIME ZONE 'UTC' first: timestamp and timestamptz convert in place");
	STEP(l, "ALTER TABLE e ALTER COLUMN ts TYPE timestamp;", "SELECT 1;", false,
	     "2:type-change", "in another time zone they are rewritten");
	lint_free(l);
	LITE("CLUSTER; REFRESH MATERIALIZED VIEW mv; ALTER TABLE t SET TABLESPACE x;",
	     "2:sqlite-alter", "SQLite: the PostgreSQL lock table does not apply");
}

/* ---- the corpus ---- */

struct file {
	char *name, *text;
	size_t len;
};

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct file *)a)->name, ((const struct file *)b)->name);
}

static uint32_t load_dir(const char *dir, struct file **out)
{
	DIR *d = opendir(dir);
	struct file *v = NULL;
	uint32_t n = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		size_t k = strlen(e->d_name);
		if (k < 5 || strcmp(e->d_name + k - 4, ".sql") != 0)
			continue;
		v = xrealloc(v, (n + 1) * sizeof(*v));
		char *path = xasprintf("%s/%s", dir, e->d_name);
		v[n].name = xstrdup(e->d_name);
		if (read_file(path, &v[n].text, &v[n].len, NULL) == RT_OK)
			n++;
		else
			free(v[n].name);
		free(path);
	}
	if (d)
		closedir(d);
	qsort(v, n, sizeof(*v), cmp_file);
	*out = v;
	return n;
}

/* The sections and header keys lint needs, found the way the corpus
 * writes them (script.c does the real parsing). */
static void split_script(const struct file *fl, struct lint_text *in)
{
	memset(in, 0, sizeof(*in));
	in->file = fl->name;
	in->revision = fl->name;
	in->text = fl->text;
	in->len = fl->len;
	in->transactional = true;
	bool in_up = false, in_down = false, header = true;
	uint32_t line = 0;
	for (const char *p = fl->text; p < fl->text + fl->len;) {
		const char *nl = memchr(p, '\n', (size_t)(fl->text + fl->len - p));
		const char *next = nl ? nl + 1 : fl->text + fl->len;
		size_t off = (size_t)(p - fl->text), n = (size_t)(next - p);
		line++;
		if (n >= 18 && strncmp(p, "-- migrate:upgrade", 18) == 0) {
			header = false;
			in_up = true;
			in->up_off = off + n;
			in->up_line = line + 1;
		} else if (n >= 20 && strncmp(p, "-- migrate:downgrade", 20) == 0) {
			in->up_len = off - in->up_off;
			in_up = false;
			in_down = true;
			in->has_downgrade = true;
			in->down_off = off + n;
			in->down_line = line + 1;
		} else if (header && n >= 20 && strncmp(p, "-- Transaction: none", 20) == 0) {
			in->transactional = false;
		}
		p = next;
	}
	if (in_up)
		in->up_len = fl->len - in->up_off;
	if (in_down)
		in->down_len = fl->len - in->down_off;
}

static char *expected_of(const char *path)
{
	char *text;
	size_t len;
	if (read_file(path, &text, &len, NULL) != RT_OK)
		return xstrdup("(unreadable)");
	struct strbuf sb = STRBUF_INIT;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		if (line[0] != '#')
			sb_addf(&sb, "%s\n", line);
	free(text);
	return sb_detach(&sb);
}

static void test_corpus(const char *dialect_name, enum sql_dialect d)
{
	char *dir = xasprintf("%s/tests/data/lint/%s/versions", RT_SRCDIR, dialect_name);
	char *exp = xasprintf("%s/tests/data/lint/%s/expected", RT_SRCDIR, dialect_name);
	struct file *files;
	uint32_t n = load_dir(dir, &files);
	ok(n >= 8, "%s corpus: %u scripts", dialect_name, (unsigned)n);

	struct lint *l = lint_new(d);
	struct lint_findings f;
	lint_findings_init(&f);
	for (uint32_t i = 0; i < n; i++) {
		struct lint_text in;
		split_script(&files[i], &in);
		lint_text(l, &in, true, &f);
	}
	struct strbuf got = STRBUF_INIT;
	for (uint32_t i = 0; i < f.n; i++)
		sb_addf(&got, "%s:%u: %s %s\n", f.v[i].file, (unsigned)f.v[i].line,
		        lint_rules[f.v[i].rule].id, lint_severity_name(f.v[i].severity));
	char *want = expected_of(exp);
	is_str(sb_str(&got), want, "%s corpus: the expected findings, no others", dialect_name);
	sb_free(&got);
	free(want);
	lint_findings_free(&f);
	lint_free(l);

	/* Every prefix of every script, and each with bytes flipped, in both
	 * dialects: nothing may crash or read outside the text (ASan). */
	unsigned runs = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct file cut = files[i];
		for (size_t k = 0; k <= files[i].len; k += 3) {
			struct lint_text in;
			cut.len = k;
			split_script(&cut, &in);
			for (int dd = 0; dd < 2; dd++) {
				struct lint *l2 = lint_new(dd ? SQL_POSTGRES : SQL_SQLITE);
				lint_findings_init(&f);
				char *copy = xstrndup(files[i].text, k);
				in.text = copy;
				lint_text(l2, &in, true, &f);
				if (k > 0) {
					copy[(k * 7) % k] = "'\"$();-[`/*"[k % 11];
					lint_text(l2, &in, true, &f);
				}
				free(copy);
				lint_findings_free(&f);
				lint_free(l2);
				runs++;
			}
		}
		free(files[i].name);
		free(files[i].text);
	}
	free(files);
	ok(runs > 0, "%s corpus: %u truncated and damaged inputs linted", dialect_name, runs);
	free(dir);
	free(exp);
}

static void test_garbage(void)
{
	static const char *const inputs[] = {
		"", ";", ";;;", "(", ")", ")))(((", "DROP", "DROP TABLE", "DROP TABLE ;",
		"ALTER", "ALTER TABLE", "ALTER TABLE t", "ALTER TABLE t ADD", "ALTER TABLE t ADD COLUMN",
		"ALTER TABLE t ALTER COLUMN", "ALTER TABLE t ALTER COLUMN c TYPE",
		"ALTER TABLE t ALTER COLUMN c TYPE numeric(", "ALTER TABLE t RENAME",
		"ALTER TABLE t RENAME COLUMN a TO", "ALTER TABLE , , ,", "CREATE INDEX",
		"CREATE INDEX ON", "CREATE INDEX i ON t (", "CREATE TABLE t (", "CREATE TABLE t (a",
		"CREATE TABLE t (a int,", "CREATE TABLE t ((((", "DELETE", "DELETE FROM",
		"UPDATE", "WITH", "WITH (DELETE FROM", "TRUNCATE", "TRUNCATE ,", "REINDEX (",
		"REINDEX (CONCURRENTLY", "VACUUM (", "LOCK", "DO", "DO $$", "DO $$ $$", "DO $a$",
		"DO $$ BEGIN $$", "DO $$ IF THEN ELSE LOOP $$", "CREATE TABLE \"", "\"\"\"",
		"ALTER TABLE t ADD COLUMN c int GENERATED", "ALTER TABLE t ADD COLUMN c AS (",
		"ALTER TABLE t ADD CONSTRAINT", "ALTER TABLE t ADD CONSTRAINT c",
		"-- retort:ignore", "-- retort:ignore ,,,", "-- retort:ignore -",
		"\xff\xfe\x00garbage", "ALTER TABLE t DROP COLUMN IF", "DROP INDEX CONCURRENTLY",
		"CREATE UNIQUE", "ALTER TABLE t ALTER COLUMN c TYPE varchar(99999999999999999999)",
	};
	size_t malformed = 0;
	for (size_t i = 0; i < RT_ARRAY_LEN(inputs); i++) {
		for (int d = 0; d < 2; d++) {
			struct lint *l = lint_new(d ? SQL_POSTGRES : SQL_SQLITE);
			struct lint_findings f;
			lint_findings_init(&f);
			lint_pair(l, inputs[i], inputs[i], true, &f);
			for (uint32_t k = 0; k < f.n; k++)
				if ((unsigned)f.v[k].rule >= LINT_NRULES || !f.v[k].message ||
				    f.v[k].line < 1)
					malformed++;
			lint_findings_free(&f);
			lint_free(l);
		}
	}
	is_int(malformed, 0, "%zu fragments of statements give only well-formed findings",
	       RT_ARRAY_LEN(inputs));

	/* Offsets past the text (a file changed under us) are clamped. */
	struct lint *l = lint_new(SQL_POSTGRES);
	struct lint_findings f;
	lint_findings_init(&f);
	struct lint_text in = {.file = "a", .revision = "a", .text = "DROP TABLE t;", .len = 13,
	                       .up_off = 5, .up_len = 1000, .up_line = 1, .has_downgrade = true,
	                       .down_off = 99, .down_len = 5, .down_line = 1};
	lint_text(l, &in, true, &f);
	/* what is left of the upgrade ("TABLE t;") drops nothing, and the
	 * downgrade, starting past the end, is empty */
	ok(f.n == 1 && f.v[0].rule == LINT_EMPTY_DOWNGRADE && f.v[0].line == 1,
	   "section offsets outside the text are clamped");
	lint_findings_free(&f);
	lint_free(l);
}

int main(void)
{
	test_rule_table();
	test_data_loss();
	test_direction();
	test_types();
	test_locks();
	test_renames_and_failures();
	test_traps();
	test_ignore();
	test_model();
	test_always_true();
	test_forms();
	test_forms_context();
	test_forms_docs();
	test_corpus("sqlite", SQL_SQLITE);
	test_corpus("postgresql", SQL_POSTGRES);
	test_garbage();
	return done_testing();
}
