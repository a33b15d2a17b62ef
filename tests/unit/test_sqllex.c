/* Unit tests for sqllex.c (tokens, statement splitting, errors) and
 * sqltoks.c (a statement's tokens as an array). */

#include <stdlib.h>
#include <string.h>

#include "sqllex.h"
#include "sqltoks.h"
#include "tap.h"
#include "util.h"

/* Splits text and renders the result as "line:text|line:text", or
 * "ERR:message" on failure, so each case reads as one comparison. */
static char *split_str(const char *text, enum sql_dialect d, uint32_t first)
{
	struct sql_stmt *v = NULL;
	uint32_t n = 0;
	char *err = NULL;
	struct strbuf sb = STRBUF_INIT;
	int rc = sqllex_split(text, strlen(text), d, first, &v, &n, &err);
	if (rc != RT_OK) {
		sb_addf(&sb, "ERR:%s", err ? err : "(no message)");
		if (rc != RT_EINPUT)
			sb_addf(&sb, " (status %d)", rc);
		free(err);
		return sb_detach(&sb);
	}
	if (err != NULL)
		sb_adds(&sb, "unexpected error text|");
	for (uint32_t i = 0; i < n; i++)
		sb_addf(&sb, "%s%u:%.*s", i ? "|" : "", (unsigned)v[i].line,
		        (int)v[i].len, text + v[i].off);
	free(v);
	return sb_detach(&sb);
}

#define SPLIT(text, d, first, want, name) do { \
	char *got_ = split_str(text, d, first); \
	is_str(got_, want, name); \
	free(got_); \
} while (0)

/* Token types of text as one letter each: W word, Q quoted identifier,
 * S string, N number, P punct, ; semi, C comment, E error. */
static char *types_str(const char *text, enum sql_dialect d)
{
	static const char letter[] = {
		[SQL_TOK_EOF] = '.', [SQL_TOK_WORD] = 'W', [SQL_TOK_QIDENT] = 'Q',
		[SQL_TOK_STRING] = 'S', [SQL_TOK_NUMBER] = 'N', [SQL_TOK_PUNCT] = 'P',
		[SQL_TOK_SEMI] = ';', [SQL_TOK_COMMENT] = 'C', [SQL_TOK_ERROR] = 'E',
	};
	struct sqllex lx;
	struct sql_token t;
	struct strbuf sb = STRBUF_INIT;
	sqllex_init(&lx, text, strlen(text), d, 1);
	for (int guard = 0; guard < 1000; guard++) {
		sqllex_next(&lx, &t);
		if (t.type == SQL_TOK_EOF)
			break;
		sb_addc(&sb, letter[t.type]);
	}
	return sb_detach(&sb);
}

#define TYPES(text, d, want, name) do { \
	char *got_ = types_str(text, d); \
	is_str(got_, want, name); \
	free(got_); \
} while (0)

static void test_tokens(void)
{
	TYPES("SELECT a, \"b\", 'c', 1.5e3 FROM t; -- x", SQL_SQLITE,
	      "WWPQPSPNWW;C", "basic token types");
	TYPES("x::int <> 2 ->> 'k' /* c */", SQL_POSTGRES, "WPWPNPSC",
	      "multi-byte operators are single tokens");
	TYPES("[a b] `c``d` x'AB'", SQL_SQLITE, "QQS",
	      "SQLite bracket/backtick identifiers and blob literal");
	TYPES("a[1] $1 $$x$$", SQL_POSTGRES, "WPNPWS",
	      "PostgreSQL: [ is punctuation, $1 a word, $$..$$ a string");
	TYPES("E'a\\'b' 'x'", SQL_POSTGRES, "SS", "E'' takes backslash escapes");
	TYPES("0x1F .5 1_000", SQL_POSTGRES, "NNN", "hex, leading-dot, underscore numbers");
	TYPES("'abc", SQL_SQLITE, "E", "unterminated string is one error token");

	const char *text = "select\n'a\nb'\n  \"Sel\"  SELECTX";
	struct sqllex lx;
	struct sql_token t[5];
	sqllex_init(&lx, text, strlen(text), SQL_SQLITE, 10);
	for (int i = 0; i < 5; i++)
		sqllex_next(&lx, &t[i]);
	is_int(t[0].line, 10, "first token on first_line");
	is_int(t[1].line, 11, "multi-line string starts on line 11");
	is_int(t[2].line, 13, "token after a multi-line string counts its newlines");
	is_int(t[2].off, 15, "token offset");
	is_int(t[2].len, 5, "quoted identifier length includes quotes");
	is_int(t[4].type, SQL_TOK_EOF, "EOF after the last token");
	is_int(t[4].line, 13, "EOF line");
	ok(sqllex_is(&lx, &t[0], "SELECT") && sqllex_is(&lx, &t[0], "select"),
	   "sqllex_is ignores case");
	ok(!sqllex_is(&lx, &t[2], "sel"), "sqllex_is never matches a quoted identifier");
	ok(!sqllex_is(&lx, &t[3], "select"), "sqllex_is is not a prefix match");
	ok(!sqllex_is(&lx, &t[0], "selectx"), "sqllex_is needs the whole keyword");
	ok(!sqllex_is(&lx, &t[1], "a"), "sqllex_is never matches a string");
}

static void test_split_basics(void)
{
	SPLIT("SELECT 1;\nSELECT 2;\n\nSELECT\n3;", SQL_SQLITE, 1,
	      "1:SELECT 1|2:SELECT 2|4:SELECT\n3", "statements and their lines");
	SPLIT("SELECT 1;\n  SELECT 2;", SQL_POSTGRES, 7,
	      "7:SELECT 1|8:SELECT 2", "lines offset by first_line");
	SPLIT("-- head\n/* block\n */ ; ;;\n  INSERT INTO t VALUES (1) -- tail\n;",
	      SQL_SQLITE, 1, "4:INSERT INTO t VALUES (1)",
	      "comment-only and empty statements dropped; leading and trailing comments trimmed");
	SPLIT("SELECT 1;\nSELECT 2 -- no semicolon\n", SQL_SQLITE, 1,
	      "1:SELECT 1|2:SELECT 2", "trailing statement without ';'");
	SPLIT("", SQL_SQLITE, 1, "", "empty text has no statements");
	SPLIT("  -- only\n/* comments */\n", SQL_POSTGRES, 1, "",
	      "comments alone have no statements");
	SPLIT("SELECT 1;\r\nSELECT 2;\r\n", SQL_SQLITE, 1,
	      "1:SELECT 1|2:SELECT 2", "CRLF line endings");
	SPLIT("SELECT 'é;' AS café;\nSELECT 2", SQL_POSTGRES, 1,
	      "1:SELECT 'é;' AS café|2:SELECT 2", "UTF-8 text and identifiers");
}

static void test_split_quoting(void)
{
	SPLIT("INSERT INTO t VALUES ('it''s; fine');\nSELECT 2;", SQL_SQLITE, 1,
	      "1:INSERT INTO t VALUES ('it''s; fine')|2:SELECT 2",
	      "'' escape keeps the string open");
	SPLIT("SELECT E'it\\'s; x';\nSELECT 2;", SQL_POSTGRES, 1,
	      "1:SELECT E'it\\'s; x'|2:SELECT 2", "E'' backslash escape (PostgreSQL)");
	SPLIT("SELECT E'it\\'s; x';", SQL_SQLITE, 1,
	      "ERR:line 1: unterminated string",
	      "SQLite has no E'' strings: the backslash does not escape");
	SPLIT("SELECT 'a\\';\nSELECT 2;", SQL_POSTGRES, 1,
	      "1:SELECT 'a\\'|2:SELECT 2", "backslash is literal in a standard string");
	SPLIT("CREATE TABLE \"a;\"\"b\" (x);\nSELECT 2;", SQL_POSTGRES, 1,
	      "1:CREATE TABLE \"a;\"\"b\" (x)|2:SELECT 2", "\"quoted\" identifier with \"\"");
	SPLIT("SELECT [a;b], `c;``d` FROM t;\nSELECT 2;", SQL_SQLITE, 1,
	      "1:SELECT [a;b], `c;``d` FROM t|2:SELECT 2",
	      "SQLite [x] and `x` identifiers");
	SPLIT("SELECT a[1]; SELECT 2;", SQL_POSTGRES, 1,
	      "1:SELECT a[1]|1:SELECT 2", "PostgreSQL array subscripts are not identifiers");
	SPLIT("SELECT 1 -- not; a split\n;SELECT 2;", SQL_SQLITE, 1,
	      "1:SELECT 1|2:SELECT 2", "-- comment hides a semicolon");
	SPLIT("SELECT /* ; */ 1;", SQL_SQLITE, 1, "1:SELECT /* ; */ 1",
	      "block comment hides a semicolon and stays inside the statement");
	SPLIT("/* a /* b */ ; */ SELECT 1;", SQL_POSTGRES, 1, "1:SELECT 1",
	      "block comments nest in PostgreSQL");
	SPLIT("/* a /* b */ ; */ SELECT 1;", SQL_SQLITE, 1, "1:*/ SELECT 1",
	      "block comments do not nest in SQLite");
}

static void test_split_dollar(void)
{
	SPLIT("CREATE FUNCTION f() RETURNS int AS $$\n"
	      "BEGIN\n  RETURN 1;\nEND;\n$$ LANGUAGE plpgsql;\nSELECT f();",
	      SQL_POSTGRES, 1,
	      "1:CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND;\n"
	      "$$ LANGUAGE plpgsql|6:SELECT f()",
	      "$$ body holds semicolons; the next line is right");
	SPLIT("DO $body$ SELECT $$;$$; $x$ ; $x$ $body$;\nSELECT 2;", SQL_POSTGRES, 1,
	      "1:DO $body$ SELECT $$;$$; $x$ ; $x$ $body$|2:SELECT 2",
	      "$tag$ closes only on the same tag");
	SPLIT("PREPARE p AS SELECT $1 + $2;\nEXECUTE p(1, 2);", SQL_POSTGRES, 1,
	      "1:PREPARE p AS SELECT $1 + $2|2:EXECUTE p(1, 2)",
	      "$1 parameters are not dollar quotes");
	SPLIT("SELECT 1 AS a$$; SELECT 2;", SQL_POSTGRES, 1,
	      "1:SELECT 1 AS a$$|1:SELECT 2", "$ inside an identifier is not a dollar quote");
	SPLIT("SELECT $$a;b$$;", SQL_SQLITE, 1, "1:SELECT $$a|1:b$$",
	      "SQLite has no dollar quoting");
}

static void test_split_blocks(void)
{
	SPLIT("CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
	      "  UPDATE c SET n = n + 1;\n  INSERT INTO log VALUES (new.id);\nEND;\n"
	      "SELECT 2;",
	      SQL_SQLITE, 1,
	      "1:CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE c SET n = n + 1;\n"
	      "  INSERT INTO log VALUES (new.id);\nEND|5:SELECT 2",
	      "SQLite trigger body keeps its semicolons");
	SPLIT("create temp trigger tr before delete on t begin select 1; end;\n"
	      "create temporary trigger if not exists u after update on t begin select 2; end;",
	      SQL_SQLITE, 1,
	      "1:create temp trigger tr before delete on t begin select 1; end|"
	      "2:create temporary trigger if not exists u after update on t begin select 2; end",
	      "TEMP and TEMPORARY triggers, any case");
	SPLIT("CREATE TRIGGER tr AFTER UPDATE ON t BEGIN\n"
	      "  UPDATE t SET k = CASE WHEN new.v > 0 THEN 1 ELSE 0 END;\n"
	      "  SELECT CASE new.v WHEN 1 THEN RAISE(ABORT, 'x') END;\nEND;\nSELECT 3;",
	      SQL_SQLITE, 1,
	      "1:CREATE TRIGGER tr AFTER UPDATE ON t BEGIN\n"
	      "  UPDATE t SET k = CASE WHEN new.v > 0 THEN 1 ELSE 0 END;\n"
	      "  SELECT CASE new.v WHEN 1 THEN RAISE(ABORT, 'x') END;\nEND|5:SELECT 3",
	      "END of a CASE does not end the trigger");
	SPLIT("CREATE TRIGGER tr AFTER UPDATE ON t WHEN CASE new.v WHEN 1 THEN 1 END "
	      "BEGIN SELECT 1; END; SELECT 2;",
	      SQL_SQLITE, 1,
	      "1:CREATE TRIGGER tr AFTER UPDATE ON t WHEN CASE new.v WHEN 1 THEN 1 END "
	      "BEGIN SELECT 1; END|1:SELECT 2",
	      "CASE in the WHEN clause before the body");
	SPLIT("BEGIN;\nCREATE TABLE t(x);\nEND;\nBEGIN TRANSACTION;\nSELECT 1;\nCOMMIT;",
	      SQL_SQLITE, 1,
	      "1:BEGIN|2:CREATE TABLE t(x)|3:END|4:BEGIN TRANSACTION|5:SELECT 1|6:COMMIT",
	      "a transaction BEGIN does not start a block (SQLite)");
	SPLIT("CREATE TABLE t (\"begin\" int, x int);\nSELECT 2;", SQL_SQLITE, 1,
	      "1:CREATE TABLE t (\"begin\" int, x int)|2:SELECT 2",
	      "a quoted \"begin\" is not a keyword");
	SPLIT("CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql\n"
	      "BEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\n"
	      "  SELECT a;\nEND;\nSELECT f(1);",
	      SQL_POSTGRES, 1,
	      "1:CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql\n"
	      "BEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\n"
	      "  SELECT a;\nEND|6:SELECT f(1)",
	      "PostgreSQL BEGIN ATOMIC body with CASE");
	SPLIT("CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); END;\n"
	      "CALL p();", SQL_POSTGRES, 1,
	      "1:CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); END|2:CALL p()",
	      "PostgreSQL procedure body");
	SPLIT("BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN ISOLATION LEVEL SERIALIZABLE;\nEND;",
	      SQL_POSTGRES, 1,
	      "1:BEGIN|2:SELECT 1|3:COMMIT|4:BEGIN ISOLATION LEVEL SERIALIZABLE|5:END",
	      "a transaction BEGIN does not start a block (PostgreSQL)");
	SPLIT("CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); "
	      "INSERT INTO b VALUES (2));\nSELECT 1;",
	      SQL_POSTGRES, 1,
	      "1:CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); "
	      "INSERT INTO b VALUES (2))|2:SELECT 1",
	      "semicolons inside parentheses do not split (PostgreSQL)");
}

static void test_split_errors(void)
{
	SPLIT("SELECT 1;\nSELECT 'abc\n\n", SQL_SQLITE, 1,
	      "ERR:line 2: unterminated string", "unterminated string");
	SPLIT("SELECT 1;\n\nSELECT E'x\\'", SQL_POSTGRES, 20,
	      "ERR:line 22: unterminated string", "unterminated E'' string, first_line based");
	SPLIT("SELECT \"abc;\nSELECT 2;", SQL_POSTGRES, 1,
	      "ERR:line 1: unterminated quoted identifier", "unterminated quoted identifier");
	SPLIT("\nSELECT [abc;", SQL_SQLITE, 1,
	      "ERR:line 2: unterminated quoted identifier", "unterminated [identifier]");
	SPLIT("SELECT `abc;", SQL_SQLITE, 5,
	      "ERR:line 5: unterminated quoted identifier", "unterminated `identifier`");
	SPLIT("SELECT 1;\n/* open\n/* nested */\n", SQL_POSTGRES, 1,
	      "ERR:line 2: unterminated comment", "unterminated nested comment");
	SPLIT("SELECT 1; /*", SQL_SQLITE, 1,
	      "ERR:line 1: unterminated comment", "unterminated comment at the very end");
	SPLIT("SELECT 1;\n\n\nDO $x$ BEGIN NULL; END $y$;", SQL_POSTGRES, 1,
	      "ERR:line 4: unterminated dollar-quoted string", "unterminated $tag$");

	struct sql_stmt *v = (struct sql_stmt *)&v;
	uint32_t n = 77;
	char *err = NULL;
	int rc = sqllex_split("'", 1, SQL_SQLITE, 1, &v, &n, &err);
	is_int(rc, RT_EINPUT, "error status is RT_EINPUT");
	ok(v == (struct sql_stmt *)&v && n == 77, "outputs untouched on error");
	free(err);
}

/* A 10 MB script must split in one linear pass. */
static void test_large(void)
{
	static const char piece[] =
		"INSERT INTO t (a, \"b\") VALUES (1, 'x;y''z'); -- c\n"
		"/* block */ UPDATE t SET a = a + 1 WHERE b = 'q';\n";
	size_t plen = sizeof piece - 1, reps = (10u << 20) / plen + 1;
	char *big = xmalloc(plen * reps + 1);
	for (size_t i = 0; i < reps; i++)
		memcpy(big + i * plen, piece, plen);
	big[plen * reps] = '\0';

	struct sql_stmt *v = NULL;
	uint32_t n = 0;
	char *err = NULL;
	double t0 = now_monotonic();
	int rc = sqllex_split(big, plen * reps, SQL_POSTGRES, 1, &v, &n, &err);
	double dt = now_monotonic() - t0;
	is_int(rc, RT_OK, "10 MB script splits");
	is_int(n, 2 * reps, "every statement found");
	if (rc == RT_OK && n == 2 * reps) {
		is_int(v[n - 1].line, 2 * reps, "last statement's line");
		ok(memcmp(big + v[n - 1].off, "UPDATE", 6) == 0, "last statement's text");
	}
	ok(dt < 3.0, "10 MB split in %.2fs", dt);
	free(v);
	free(err);
	free(big);
}

static void txn(const char *sql, enum sql_dialect d, const char *want)
{
	const char *got = sqllex_txn_control(sql, strlen(sql), d);
	if (!ok(got == want || (got && want && strcmp(got, want) == 0), "%s -> %s", sql,
	        want ? want : "(none)"))
		printf("# got %s\n", got ? got : "(none)");
}

static void test_txn_control(void)
{
	txn("COMMIT", SQL_SQLITE, "COMMIT");
	txn("commit work", SQL_POSTGRES, "COMMIT");
	txn("COMMIT PREPARED 'x'", SQL_POSTGRES, "COMMIT");
	txn("  -- a comment\n  begin", SQL_POSTGRES, "BEGIN");
	txn("BEGIN IMMEDIATE TRANSACTION", SQL_SQLITE, "BEGIN");
	txn("/* c */ START TRANSACTION ISOLATION LEVEL SERIALIZABLE", SQL_POSTGRES,
	    "START TRANSACTION");
	txn("END", SQL_SQLITE, "END");
	txn("end transaction", SQL_SQLITE, "END");
	txn("ABORT", SQL_POSTGRES, "ABORT");
	txn("ROLLBACK", SQL_SQLITE, "ROLLBACK");
	txn("ROLLBACK TRANSACTION", SQL_SQLITE, "ROLLBACK");
	txn("ROLLBACK PREPARED 'x'", SQL_POSTGRES, "ROLLBACK");
	txn("PREPARE TRANSACTION 'x'", SQL_POSTGRES, "PREPARE TRANSACTION");
	/* inside a transaction, not of it */
	txn("ROLLBACK TO sp", SQL_SQLITE, NULL);
	txn("ROLLBACK TO SAVEPOINT sp", SQL_POSTGRES, NULL);
	txn("rollback work to savepoint sp", SQL_POSTGRES, NULL);
	txn("ROLLBACK TRANSACTION TO sp", SQL_SQLITE, NULL);
	txn("SAVEPOINT sp", SQL_POSTGRES, NULL);
	txn("RELEASE SAVEPOINT sp", SQL_POSTGRES, NULL);
	txn("PREPARE q AS SELECT 1", SQL_POSTGRES, NULL);
	txn("START", SQL_POSTGRES, NULL);
	txn("CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM b; END", SQL_SQLITE, NULL);
	txn("DO $$BEGIN COMMIT; END$$", SQL_POSTGRES, NULL);
	txn("UPDATE t SET commit = 1", SQL_POSTGRES, NULL);
	txn("", SQL_POSTGRES, NULL);
}

static void test_sets_pragma(void)
{
	static const struct {
		const char *sql;
		int want;
	} cases[] = {
		{"PRAGMA foreign_keys = OFF", 1},
		{"pragma Foreign_Keys=false", 1},
		{"PRAGMA foreign_keys == 0", 1},
		{"PRAGMA main.foreign_keys = no", 1},
		{"PRAGMA \"main\" . \"FOREIGN_KEYS\" = off", 1},
		{"PRAGMA [foreign_keys] = on", 1},
		{"PRAGMA 'foreign_keys' = on", 1},
		{"PRAGMA foreign_keys(0)", 1},
		{"/* x */ PRAGMA /* y */ foreign_keys -- z\n = OFF", 1},
		{"PRAGMA foreign_keys", 0},
		{"PRAGMA foreign_key_check", 0},
		{"PRAGMA foreign_key_check(t)", 0},
		{"PRAGMA defer_foreign_keys = ON", 0},
		{"PRAGMA foreign_keys_x = ON", 0},
		{"PRAGMA \"foreign_keys \" = ON", 0},
		{"SELECT 'PRAGMA foreign_keys = OFF'", 0},
		{"PRAGMA foreign_keys => off", 0},
		{"PRAGMA", 0},
		{"", 0},
	};
	for (size_t i = 0; i < RT_ARRAY_LEN(cases); i++)
		is_int(sqllex_sets_pragma(cases[i].sql, strlen(cases[i].sql), "foreign_keys"),
		       cases[i].want, "sets foreign_keys, case %zu: %.24s", i, cases[i].sql);
}

/* Tokens without comments, each with the parentheses open around it. */
static void test_next_code(void)
{
	const char *sql = "f(a, (b) /* c ) */ -- d (\n, e) ) g 'h";
	struct sqllex lx;
	struct sql_token t;
	uint32_t depth;
	struct strbuf sb = STRBUF_INIT;
	sqllex_init(&lx, sql, strlen(sql), SQL_POSTGRES, 1);
	while (sqllex_next_code(&lx, &t, &depth))
		sb_addf(&sb, "%.*s:%u ", (int)t.len, sql + t.off, depth);
	is_str(sb_str(&sb), "f:0 (:0 a:1 ,:1 (:1 b:2 ):1 ,:1 e:1 ):0 ):0 g:0 ",
	       "sqllex_next_code: no comments, depths, an unmatched ')' at 0, stops at "
	       "an unterminated quote");
	sb_free(&sb);
}

/* The token array both DDL readers use: depths, lines, no comments, the
 * keyword and name questions, and an unterminated quote reported. */
static void test_sqltoks(void)
{
	struct sqltoks ts = {0};
	const char *sql = "CREATE TABLE \"Odd \"\"x\"\"\" ( -- note\n a int, [b c] text);";
	ok(sqltoks_read(&ts, sql, strlen(sql), SQL_SQLITE, 7), "sqltoks: a whole statement reads");
	is_int(ts.n, 11, "sqltoks: comments left out, the ';' kept");
	ok(sqltok_word(&ts.v[0], "create") && sqltok_word(&ts.v[0], "CREATE"),
	   "sqltoks: a keyword compares without case");
	ok(!sqltok_word(&ts.v[2], "odd"), "sqltoks: a quoted identifier is no keyword");
	ok(sqltok_name(&ts.v[2]) && sqltok_name(&ts.v[1]) && !sqltok_name(&ts.v[3]),
	   "sqltoks: names are bare and quoted identifiers");
	ok(sqltok_punct(&ts.v[3], '(') && ts.v[3].depth == 0 && ts.v[4].depth == 1,
	   "sqltoks: '(' at its own depth, what it opens one deeper");
	is_int(ts.v[4].line, 8, "sqltoks: lines count from the first line given");
	char buf[32];
	sql_unquote(ts.v[2].s, ts.v[2].len, buf);
	is_str(buf, "Odd \"x\"", "sql_unquote: quotes removed, doubled quotes undone");
	sql_unquote(ts.v[7].s, ts.v[7].len, buf);
	is_str(buf, "b c", "sql_unquote: [brackets]");
	ok(sqltok_at(ts.v, ts.n, ts.n)->type == SQL_TOK_EOF, "sqltoks: past the end is the end");
	const char *bad = "CREATE TABLE t (a text DEFAULT 'open";
	ok(!sqltoks_read(&ts, bad, strlen(bad), SQL_SQLITE, 1),
	   "sqltoks: an unterminated string is reported");
	is_int(ts.n, 7, "sqltoks: ... the tokens before it kept, the array reused");
	sqltoks_free(&ts);
}

int main(void)
{
	test_sqltoks();
	test_next_code();
	test_txn_control();
	test_tokens();
	test_split_basics();
	test_split_quoting();
	test_split_dollar();
	test_split_blocks();
	test_split_errors();
	test_large();
	test_sets_pragma();
	return done_testing();
}
