/* test_script.c: the revision script format (retort-script(5)). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "script.h"
#include "sha256.h"
#include "tap.h"

static struct arena arena;

/* Parses text (len bytes, or strlen when len is 0) as "t.sql". Returns
 * the status; *err gets the error text or NULL. */
static int parse_n(const char *text, size_t len, struct script *s, char **err)
{
	*err = NULL;
	return script_parse("t.sql", text, len ? len : strlen(text), &arena, s, err);
}

static int parse(const char *text, struct script *s, char **err)
{
	return parse_n(text, 0, s, err);
}

/* The error text for a script that must not parse ("" if it parsed). */
static char *parse_err(const char *text, size_t len)
{
	struct script s;
	char *err;
	if (parse_n(text, len, &s, &err) == RT_OK) {
		free(err);
		return xstrdup("");
	}
	return err ? err : xstrdup("(no message)");
}

/* Checks that text fails with exactly `want` (all lines). */
static void fails_with(const char *text, size_t len, const char *want, const char *what)
{
	char *got = parse_err(text, len);
	is_str(got, want, "%s", what);
	free(got);
}

/* The bytes of one section, as a C string (static buffer). */
static const char *section(const char *text, size_t off, size_t len)
{
	static char buf[4096];
	if (len >= sizeof(buf))
		return "(too long)";
	memcpy(buf, text + off, len);
	buf[len] = '\0';
	return buf;
}

static const char manual_example[] =
	"-- Add user email\n"
	"--\n"
	"-- Revision ID: 3f2a9c1b7d4e\n"
	"-- Revises: 1a2b3c4d5e6f\n"
	"-- Create Date: 2026-11-21 10:30:00\n"
	"-- Branch Labels: accounts\n"
	"-- Depends On: 7c8d9e0f1a2b\n"
	"-- Transaction: per-migration\n"
	"\n"
	"-- migrate:upgrade\n"
	"ALTER TABLE users ADD COLUMN email text;\n"
	"\n"
	"-- migrate:downgrade\n"
	"ALTER TABLE users DROP COLUMN email;\n";

static void test_manual_example(void)
{
	struct script s;
	char *err;
	is_int(parse(manual_example, &s, &err), RT_OK, "the example of retort-script(5) parses");
	is_str(err, NULL, "no error text on success");
	is_str(s.path, "t.sql", "path kept");
	is_str(s.message, "Add user email", "message");
	is_str(s.rev, "3f2a9c1b7d4e", "Revision ID");
	is_int(s.rev_line, 3, "Revision ID line");
	is_int(s.nparents, 1, "one parent");
	is_str(s.parents[0], "1a2b3c4d5e6f", "Revises");
	is_int(s.revises_line, 4, "Revises line");
	is_str(s.create_date, "2026-11-21 10:30:00", "Create Date");
	is_int(s.nlabels, 1, "one label");
	is_str(s.labels[0], "accounts", "Branch Labels");
	is_int(s.labels_line, 6, "Branch Labels line");
	is_int(s.ndepends, 1, "one dependency");
	is_str(s.depends[0], "7c8d9e0f1a2b", "Depends On");
	is_int(s.depends_line, 7, "Depends On line");
	is_int(s.txn, SCRIPT_TXN_PER_MIGRATION, "Transaction per-migration");
	ok(s.has_downgrade, "has a downgrade section");
	is_str(section(manual_example, s.up_off, s.up_len),
	       "ALTER TABLE users ADD COLUMN email text;\n\n", "upgrade SQL bytes");
	is_int(s.up_line, 11, "upgrade section starts on line 11");
	is_str(section(manual_example, s.down_off, s.down_len),
	       "ALTER TABLE users DROP COLUMN email;\n", "downgrade SQL bytes");
	is_int(s.down_line, 14, "downgrade section starts on line 14");
}

static void test_case_insensitive_keys(void)
{
	static const char text[] =
		"-- Lower and upper case keys\n"
		"-- revision id: abc\n"
		"-- REVISES: p1, p2\n"
		"-- create DATE: 2026-01-01 00:00:00\n"
		"-- branch LABELS: one, two\n"
		"-- DEPENDS on: d1\n"
		"-- TRANSACTION: None\n"
		"-- migrate:upgrade\n";
	struct script s;
	char *err;
	is_int(parse(text, &s, &err), RT_OK, "keys in any case parse");
	free(err);
	is_str(s.rev, "abc", "revision id");
	is_int(s.nparents, 2, "REVISES: two parents");
	is_str(s.parents[1], "p2", "second parent");
	is_str(s.create_date, "2026-01-01 00:00:00", "create DATE");
	is_int(s.nlabels, 2, "two labels");
	is_str(s.labels[1], "two", "second label");
	is_str(s.depends[0], "d1", "DEPENDS on");
	is_int(s.txn, SCRIPT_TXN_NONE, "Transaction value is case-insensitive too");
}

static void test_merge_empty_sections(void)
{
	static const char text[] =
		"-- Merge heads\n"
		"-- Revision ID: m1\n"
		"-- Revises: a1, b1\n"
		"-- migrate:upgrade\n"
		"-- migrate:downgrade\n";
	struct script s;
	char *err;
	is_int(parse(text, &s, &err), RT_OK, "merge revision parses");
	free(err);
	is_int(s.nparents, 2, "merge has two parents");
	is_str(s.parents[0], "a1", "parents keep their order");
	is_int(s.up_len, 0, "empty upgrade section");
	is_int(s.down_len, 0, "empty downgrade section");
	ok(s.has_downgrade, "an empty downgrade section is still reversible");
	is_int(s.up_off, strlen(text) - strlen("-- migrate:downgrade\n"), "up_off after the marker");
	is_str(s.create_date, NULL, "no Create Date: NULL");
	is_int(s.nlabels + s.ndepends, 0, "no labels, no dependencies");
	is_int(s.labels_line + s.depends_line, 0, "absent keys have line 0");
}

static void test_irreversible(void)
{
	static const char text[] =
		"-- Drop old data\n"
		"-- Revision ID: irr\n"
		"-- Revises:\n"
		"\n"
		"-- migrate:upgrade\n"
		"DROP TABLE old;\n"
		"-- not a marker: migrate:downgrade\n";
	struct script s;
	char *err;
	is_int(parse(text, &s, &err), RT_OK, "script without downgrade parses");
	free(err);
	ok(!s.has_downgrade, "no downgrade marker: irreversible");
	is_int(s.nparents, 0, "empty Revises: a base");
	is_int(s.revises_line, 3, "empty Revises still has its line");
	is_str(section(text, s.up_off, s.up_len),
	       "DROP TABLE old;\n-- not a marker: migrate:downgrade\n",
	       "upgrade runs to the end of the file");
	is_int(s.down_len, 0, "no downgrade bytes");
}

static void test_txn_none(void)
{
	static const char text[] =
		"-- Concurrent index\n"
		"-- Revision ID: idx1\n"
		"-- Transaction: none\n"
		"-- migrate:upgrade\n"
		"CREATE INDEX CONCURRENTLY i ON t (c);\n"
		"-- migrate:downgrade\n"
		"DROP INDEX CONCURRENTLY i;\n";
	struct script s;
	char *err;
	is_int(parse(text, &s, &err), RT_OK, "Transaction: none parses");
	free(err);
	is_int(s.txn, SCRIPT_TXN_NONE, "txn is none");

	/* A known key needs no space after the colon. */
	static const char tight[] =
		"-- Tight keys\n"
		"-- Revision ID:t1\n"
		"-- Transaction:none\n"
		"-- migrate:upgrade\n";
	is_int(parse(tight, &s, &err), RT_OK, "keys without a space after ':' parse");
	free(err);
	is_str(s.rev, "t1", "Revision ID:t1");
	is_int(s.txn, SCRIPT_TXN_NONE, "Transaction:none is not silently ignored");
}

static void test_crlf(void)
{
	static const char text[] =
		"-- Windows file\r\n"
		"--\r\n"
		"-- Revision ID: crlf1\r\n"
		"-- Revises: p1 , p2\r\n"
		"-- Branch Labels: win\r\n"
		"\r\n"
		"-- migrate:upgrade\r\n"
		"CREATE TABLE w (id INTEGER);\r\n"
		"-- migrate:downgrade\r\n"
		"DROP TABLE w;\r\n";
	struct script s;
	char *err;
	is_int(parse(text, &s, &err), RT_OK, "CRLF script parses");
	free(err);
	is_str(s.message, "Windows file", "no CR in the message");
	is_str(s.rev, "crlf1", "no CR in the Revision ID");
	is_str(s.parents[1], "p2", "no CR in the last Revises item");
	is_str(s.labels[0], "win", "no CR in a label");
	ok(s.has_downgrade, "CRLF downgrade marker recognised");
	is_str(section(text, s.up_off, s.up_len), "CREATE TABLE w (id INTEGER);\r\n",
	       "upgrade bytes keep their CRLF");
	is_int(s.down_line, 10, "line numbers count CRLF lines");
}

static void test_preamble_comments(void)
{
	static const char text[] =
		"\n"
		"-- Add a table\n"
		"-- Revision ID: pre1\n"
		"\n"
		"-- This comment is not part of the header.\n"
		"-- Note: neither is this one, colon and all.\n"
		"\n"
		"   \t\n"
		"-- migrate:upgrade\n"
		"CREATE TABLE p (id INTEGER);\n";
	struct script s;
	char *err;
	is_int(parse(text, &s, &err), RT_OK, "blank lines and comments before the marker");
	is_str(err, NULL, "no error for a key-shaped comment after the header");
	free(err);
	is_str(s.message, "Add a table", "message after a leading blank line");
	is_int(s.rev_line, 3, "Revision ID line counts the leading blank line");
	is_int(s.up_line, 10, "upgrade starts after the marker");
}

static void test_key_outside_header(void)
{
	static const char text[] =
		"-- Build the index\n"
		"-- Revision ID: r1\n"
		"\n"
		"-- Transaction: none\n"
		"-- just a remark: fine\n"
		"-- migrate:upgrade\n"
		"CREATE INDEX CONCURRENTLY i ON t (x);\n";
	fails_with(text, sizeof text - 1,
	           "t.sql:4: header key 'Transaction' is outside the header (the header is the "
	           "first block of -- lines: remove the blank line above it)",
	           "a known key cut off from the header by a blank line is an error");
}

static void test_message_rules(void)
{
	struct script s;
	char *err;
	static const char no_msg[] =
		"-- Revision ID: nomsg\n"
		"-- migrate:upgrade\n";
	is_int(parse(no_msg, &s, &err), RT_OK, "a header without a message parses");
	free(err);
	is_str(s.message, "", "message is empty, not NULL");

	static const char late_msg[] =
		"--\n"
		"-- Revision ID: late\n"
		"--   Message after the keys   \n"
		"-- migrate:upgrade\n";
	is_int(parse(late_msg, &s, &err), RT_OK, "message after the keys");
	free(err);
	is_str(s.message, "Message after the keys", "first non-key line, trimmed");

	static const char colon_msg[] =
		"-- Fix: handle nulls\n"
		"-- Revision ID: fix1\n"
		"-- migrate:upgrade\n";
	is_int(parse(colon_msg, &s, &err), RT_OK, "a message with a colon is a message");
	free(err);
	is_str(s.message, "Fix: handle nulls", "message keeps its colon");
}

static void test_lists(void)
{
	static const char text[] =
		"-- Lists\n"
		"-- Revision ID: lst\n"
		"-- Revises: , a1 ,, b2 ,\n"
		"-- Depends On: lbl,  c3\t\n"
		"-- migrate:upgrade\n";
	struct script s;
	char *err;
	is_int(parse(text, &s, &err), RT_OK, "lists with stray commas parse");
	free(err);
	is_int(s.nparents, 2, "empty items are dropped");
	is_str(s.parents[0], "a1", "items are trimmed");
	is_str(s.parents[1], "b2", "second item");
	is_int(s.ndepends, 2, "two dependencies");
	is_str(s.depends[1], "c3", "dependency trimmed of a tab");
}

static void test_markers(void)
{
	static const char text[] =
		"-- Odd markers\n"
		"-- Revision ID: mk1\n"
		"--  Migrate : UPGRADE\n"
		"SELECT 1;\n"
		"-- migrate:upgrades is not a marker\n"
		"  --MIGRATE:downgrade  \t\n"
		"SELECT 2;\n";
	struct script s;
	char *err;
	is_int(parse(text, &s, &err), RT_OK, "markers with odd spacing and case");
	free(err);
	ok(s.has_downgrade, "indented downgrade marker recognised");
	is_str(section(text, s.up_off, s.up_len),
	       "SELECT 1;\n-- migrate:upgrades is not a marker\n", "upgrade bytes");
	is_str(section(text, s.down_off, s.down_len), "SELECT 2;\n", "downgrade bytes");
	is_int(s.up_line, 4, "up_line");
	is_int(s.down_line, 7, "down_line");

	static const char no_nl[] =
		"-- Revision ID: eof\n"
		"-- migrate:upgrade\n"
		"SELECT 1;";
	is_int(parse(no_nl, &s, &err), RT_OK, "no newline at the end of the file");
	free(err);
	is_str(section(no_nl, s.up_off, s.up_len), "SELECT 1;", "last line without newline");
}

static void test_revision_id_errors(void)
{
	fails_with("-- Message only\n-- Revises: a\n-- migrate:upgrade\nSELECT 1;\n", 0,
	           "t.sql:1: missing 'Revision ID' in the header", "missing Revision ID");
	fails_with("\n\n-- Message\n-- migrate:upgrade\n", 0,
	           "t.sql:3: missing 'Revision ID' in the header",
	           "missing Revision ID points at the header's first line");
	fails_with("-- m\n-- Revision ID:\n-- migrate:upgrade\n", 0,
	           "t.sql:2: empty Revision ID", "empty Revision ID");
	fails_with("-- m\n-- Revision ID: 0123456789abcdef0123456789abcdef0\n-- migrate:upgrade\n", 0,
	           "t.sql:2: malformed Revision ID '0123456789abcdef0123456789abcdef0': "
	           "expected 1 to 32 of A-Z a-z 0-9 _", "33-character id");
	fails_with("-- m\n-- Revision ID: abc-def\n-- migrate:upgrade\n", 0,
	           "t.sql:2: malformed Revision ID 'abc-def': expected 1 to 32 of A-Z a-z 0-9 _",
	           "id with a dash");
	fails_with("-- m\n-- Revision ID: abc def\n-- migrate:upgrade\n", 0,
	           "t.sql:2: malformed Revision ID 'abc def': expected 1 to 32 of A-Z a-z 0-9 _",
	           "id with a space");
	fails_with("-- m\n-- Revision ID: a1\n-- Revises: ok1, b@d\n-- migrate:upgrade\n", 0,
	           "t.sql:3: malformed revision id 'b@d' in Revises", "bad id in Revises");

	struct script s;
	char *err;
	is_int(parse("-- Revision ID: 0123456789abcdef0123456789ABCDE_\n-- migrate:upgrade\n",
	             &s, &err), RT_OK, "32-character id is accepted");
	free(err);
}

static void test_header_errors(void)
{
	fails_with("-- Add email\n-- Revison ID: abc\n-- Revision ID: abc\n-- migrate:upgrade\n", 0,
	           "t.sql:2: unknown header key 'Revison ID' (known: Revision ID, Revises, "
	           "Create Date, Branch Labels, Depends On, Transaction)", "misspelt key");
	fails_with("-- m\n-- Revision ID: a\n-- Revises: b\n-- revises: c\n-- migrate:upgrade\n", 0,
	           "t.sql:4: duplicate header key 'Revises'", "duplicate key in another case");
	fails_with("-- m\n-- Revision ID: a\n-- Transaction: single\n-- migrate:upgrade\n", 0,
	           "t.sql:3: Transaction must be 'per-migration' or 'none', not 'single'",
	           "bad Transaction value");
	fails_with("-- m\n-- Revision ID: a\n-- Branch Labels: ok, 9lives\n-- migrate:upgrade\n", 0,
	           "t.sql:3: malformed branch label '9lives': expected a letter, then "
	           "letters, digits, _ or -", "label starting with a digit");
	fails_with("-- m\n-- Revision ID: a\n-- Branch Labels: my.label\n-- migrate:upgrade\n", 0,
	           "t.sql:3: malformed branch label 'my.label': expected a letter, then "
	           "letters, digits, _ or -", "label with a dot");
	fails_with("-- m\n-- Revision ID: a\n-- Branch Labels: heads\n-- migrate:upgrade\n", 0,
	           "t.sql:3: branch label 'heads' is a reserved word", "reserved label");
}

static void test_marker_errors(void)
{
	fails_with("-- m\n-- Revision ID: a\nCREATE TABLE x (id INTEGER);\nSELECT 1;\n"
	           "-- migrate:upgrade\n", 0,
	           "t.sql:3: SQL before the '-- migrate:upgrade' marker",
	           "SQL before the marker, reported once");
	fails_with("-- m\n-- Revision ID: a\n-- migrate:downgrade\nDROP TABLE x;\n"
	           "-- migrate:upgrade\nCREATE TABLE x (id INTEGER);\n", 0,
	           "t.sql:3: '-- migrate:downgrade' before '-- migrate:upgrade'",
	           "downgrade before upgrade");
	fails_with("-- m\n-- Revision ID: a\n-- migrate:upgrade\nSELECT 1;\n-- migrate:upgrade\n", 0,
	           "t.sql:5: '-- migrate:upgrade' appears twice", "two upgrade markers");
	fails_with("-- m\n-- Revision ID: a\n-- migrate:upgrade\n-- migrate:downgrade\n"
	           "-- Migrate: Downgrade\n", 0,
	           "t.sql:5: '-- migrate:downgrade' appears twice", "two downgrade markers");
	fails_with("-- m\n-- Revision ID: a\n-- migrate:upgrade\n-- migrate:downgrade\n"
	           "-- migrate:upgrade\n", 0,
	           "t.sql:5: '-- migrate:upgrade' after '-- migrate:downgrade'",
	           "upgrade marker after downgrade");
	fails_with("-- m\n-- Revision ID: a\n\nCREATE TABLE x (id INTEGER);\n", 0,
	           "t.sql:4: SQL before the '-- migrate:upgrade' marker\n"
	           "t.sql:4: missing '-- migrate:upgrade' marker", "missing upgrade marker");
	fails_with("-- m\n-- Revision ID: a\n", 0,
	           "t.sql:2: missing '-- migrate:upgrade' marker", "header only");
}

static void test_bytes_errors(void)
{
	static const char nul[] = "-- m\n-- Revision ID: a\n-- migrate:upgrade\nSELECT\0 1;\n";
	fails_with(nul, sizeof(nul) - 1, "t.sql:4: contains a NUL byte: not a text file",
	           "NUL byte with its line");
	fails_with("-- m\n-- Revision ID: a\n-- migrate:upgrade\nSELECT 'caf\xe9';\n", 0,
	           "t.sql:4: not valid UTF-8", "Latin-1 byte with its line");
	fails_with("-- m\xc3\n-- Revision ID: a\n", 0, "t.sql:1: not valid UTF-8",
	           "truncated sequence on line 1");
	fails_with("", 0, "t.sql:1: missing 'Revision ID' in the header\n"
	           "t.sql:1: missing '-- migrate:upgrade' marker", "empty file");

	struct script s;
	char *err;
	is_int(parse("-- Caf\xc3\xa9 \xe2\x9c\x93\n-- Revision ID: u8\n-- migrate:upgrade\n",
	             &s, &err), RT_OK, "valid UTF-8 parses");
	free(err);
	is_str(s.message, "Caf\xc3\xa9 \xe2\x9c\x93", "UTF-8 message kept");
}

static void test_all_errors_reported(void)
{
	fails_with("-- m\n-- Revision ID: a-b\n-- Transaction: maybe\n-- Branch Labels: base\n"
	           "-- Bogus Key: x\n-- migrate:upgrade\n-- migrate:upgrade\n", 0,
	           "t.sql:2: malformed Revision ID 'a-b': expected 1 to 32 of A-Z a-z 0-9 _\n"
	           "t.sql:3: Transaction must be 'per-migration' or 'none', not 'maybe'\n"
	           "t.sql:4: branch label 'base' is a reserved word\n"
	           "t.sql:5: unknown header key 'Bogus Key' (known: Revision ID, Revises, "
	           "Create Date, Branch Labels, Depends On, Transaction)\n"
	           "t.sql:7: '-- migrate:upgrade' appears twice",
	           "every problem of one file, in line order");

	/* A failed parse leaves *out untouched. */
	struct script s;
	char *err;
	memset(&s, 0, sizeof(s));
	s.rev = "sentinel";
	is_int(parse("-- m\n-- Revision ID: a\n", &s, &err), RT_EINPUT, "failure status");
	free(err);
	is_str(s.rev, "sentinel", "out is written only on success");
}

static void test_validators(void)
{
	ok(script_valid_rev("a") && script_valid_rev("A_9z"), "valid ids");
	ok(!script_valid_rev("") && !script_valid_rev("a-b") && !script_valid_rev("\xc3\xa9"),
	   "invalid ids");
	ok(script_valid_label("alpha") && script_valid_label("a-b_c9"), "valid labels");
	ok(!script_valid_label("") && !script_valid_label("_x") && !script_valid_label("x y"),
	   "invalid labels");
	ok(script_reserved_word("head") && script_reserved_word("heads") &&
	   script_reserved_word("base") && script_reserved_word("current"), "reserved words");
	ok(!script_reserved_word("header") && !script_reserved_word("alpha"), "not reserved");
}

static void test_render_roundtrip(void)
{
	const char *parents[] = {"p1", "p2"};
	const char *labels[] = {"feature"};
	const char *depends[] = {"d1", "core"};
	struct script_new n = {
		.rev = "abc123", .message = "Add user email\nsecond line",
		.create_date = "2026-11-21 10:30:00",
		.parents = parents, .nparents = 2,
		.labels = labels, .nlabels = 1,
		.depends = depends, .ndepends = 2,
		.upgrade_sql = "CREATE TABLE t_a (id INTEGER PRIMARY KEY);",
		.downgrade_sql = "DROP TABLE t_a;\n",
	};
	char *text = script_render(&n);
	struct script s;
	char *err;
	is_int(parse(text, &s, &err), RT_OK, "rendered script parses");
	free(err);
	is_str(s.rev, "abc123", "round trip: rev");
	is_str(s.message, "Add user email second line", "round trip: one-line message");
	is_str(s.create_date, "2026-11-21 10:30:00", "round trip: date");
	ok(s.nparents == 2 && strcmp(s.parents[0], "p1") == 0 && strcmp(s.parents[1], "p2") == 0,
	   "round trip: parents");
	ok(s.nlabels == 1 && strcmp(s.labels[0], "feature") == 0, "round trip: labels");
	ok(s.ndepends == 2 && strcmp(s.depends[1], "core") == 0, "round trip: depends");
	is_int(s.txn, SCRIPT_TXN_PER_MIGRATION, "round trip: default transaction");
	ok(s.has_downgrade, "rendered scripts are reversible");
	is_str(section(text, s.up_off, s.up_len),
	       "CREATE TABLE t_a (id INTEGER PRIMARY KEY);\n\n", "round trip: upgrade SQL");
	is_str(section(text, s.down_off, s.down_len), "DROP TABLE t_a;\n",
	       "round trip: downgrade SQL");
	free(text);

	struct script_new base = {.rev = "b0", .message = "First", .create_date = "2026-01-01 00:00:00"};
	text = script_render(&base);
	is_int(parse(text, &s, &err), RT_OK, "rendered base parses");
	free(err);
	ok(strstr(text, "-- Revises:\n") != NULL, "a base writes an empty Revises");
	ok(strstr(text, "Branch Labels") == NULL && strstr(text, "Depends On") == NULL,
	   "empty lists are left out");
	is_int(s.nparents, 0, "round trip: base has no parents");
	is_int(s.up_len, 1, "NULL upgrade SQL: just the blank line");
	is_int(s.down_len, 0, "NULL downgrade SQL: empty");
	free(text);
}

static void test_filename(void)
{
	char *f = script_filename("abc", "Add user email!", "2026-11-21 10:30:00");
	is_str(f, "20261121_1030_abc_add_user_email.sql", "the file name retort-script(5) describes");
	free(f);
	f = script_filename("abc", "  --Fix  the   THING--  ", "2026-11-21T10:30:00");
	is_str(f, "20261121_1030_abc_fix_the_thing.sql", "ISO date; runs of separators squeezed");
	free(f);
	f = script_filename("r1", "!!!", "2026-11-21 10:30:00");
	is_str(f, "20261121_1030_r1_revision.sql", "no alphanumerics: a fallback slug");
	free(f);

	f = script_filename("r2", "Create the accounts table and backfill every existing user row",
	                    "2026-11-21 10:30:00");
	is_str(f, "20261121_1030_r2_create_the_accounts_table_and_backfill_e.sql",
	       "long message cut at 40 slug characters");
	free(f);

	/* 39 letters, then a separator: no trailing '_' and never 41. */
	f = script_filename("r3", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bbb", "2026-11-21 10:30:00");
	is_str(f, "20261121_1030_r3_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sql",
	       "a separator at position 40 is dropped");
	free(f);
	f = script_filename("r4", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bbb", "2026-11-21 10:30:00");
	is_str(f, "20261121_1030_r4_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_b.sql",
	       "a separator that fits is kept");
	free(f);
}

static void test_new_rev(void)
{
	char a[13], b[13];
	char *err = NULL;
	is_int(script_new_rev(a, &err), RT_OK, "new rev");
	is_int(script_new_rev(b, &err), RT_OK, "another new rev");
	is_str(err, NULL, "no error");
	is_int(strlen(a), 12, "12 characters");
	bool hex = true;
	for (int i = 0; i < 12; i++)
		hex &= (isdigit((unsigned char)a[i]) || (a[i] >= 'a' && a[i] <= 'f')) &&
		       (isdigit((unsigned char)b[i]) || (b[i] >= 'a' && b[i] <= 'f'));
	ok(hex, "lowercase hex: %s %s", a, b);
	ok(strcmp(a, b) != 0, "two calls differ");
	ok(script_valid_rev(a), "a generated id is a valid id");
}

static void test_file_access(void)
{
	char dir[PATH_MAX];
	if (!tap_mkdtemp(dir, sizeof dir, "rt-script")) {
		ok(0, "mkdtemp");
		return;
	}
	char *path = xasprintf("%s/s.sql", dir);
	FILE *fp = fopen(path, "w");
	fputs(manual_example, fp);
	fclose(fp);

	struct script s;
	char *err = NULL;
	is_int(script_parse(path, manual_example, strlen(manual_example), &arena, &s, &err), RT_OK,
	       "parse with a real path");
	char *sql = NULL;
	is_int(script_read_sql(&s, SCRIPT_UPGRADE, &sql, &err), RT_OK, "read upgrade SQL");
	is_str(sql, "ALTER TABLE users ADD COLUMN email text;\n\n", "upgrade SQL from the file");
	free(sql);
	is_int(script_read_sql(&s, SCRIPT_DOWNGRADE, &sql, &err), RT_OK, "read downgrade SQL");
	is_str(sql, "ALTER TABLE users DROP COLUMN email;\n", "downgrade SQL from the file");
	free(sql);

	char hex[65], want[65];
	sha256_hex(manual_example, strlen(manual_example), want);
	is_int(script_checksum(&s, hex, &err), RT_OK, "checksum");
	is_str(hex, want, "checksum is the SHA-256 of the file's bytes");

	/* An edit that moves every byte: the section is read from the file as
	 * it is now, never with the offsets of the parsed version. */
	fp = fopen(path, "w");
	fputs("-- A note added above the header, and a longer statement.\n", fp);
	fputs(manual_example, fp);
	fclose(fp);
	is_int(script_read_sql(&s, SCRIPT_DOWNGRADE, &sql, &err), RT_OK, "read an edited file");
	is_str(sql, "ALTER TABLE users DROP COLUMN email;\n", "the section as the file has it now");
	free(sql);
	struct script_now now;
	is_int(script_reread(&s, &now, &err), RT_OK, "reread an edited file");
	is_int(now.s.down_line, s.down_line + 1, "its sections' lines as they are now");
	script_now_free(&now);

	/* A header that says something else: not the script the graph has. */
	char *moved = xstrdup(manual_example);
	memcpy(strstr(moved, "Revises: 1a2b") + 9, "9999", 4);
	fp = fopen(path, "w");
	fputs(moved, fp);
	fclose(fp);
	free(moved);
	is_int(script_read_sql(&s, SCRIPT_UPGRADE, &sql, &err), RT_EINPUT, "Revises changed");
	char *want_err = xasprintf("%s: its header (Revises) changed since the history was loaded; "
	                           "run the command again to plan from the new header", path);
	is_str(err, want_err, "a changed header is named");
	free(want_err);
	free(err);
	err = NULL;

	fp = fopen(path, "w");
	fputs("-- short\n", fp);
	fclose(fp);
	is_int(script_read_sql(&s, SCRIPT_DOWNGRADE, &sql, &err), RT_EINPUT, "file shrank");
	ok(err && strstr(err, "the file changed since the history was loaded and no longer parses"),
	   "a file that no longer parses is reported: %s", err ? err : "");
	free(err);
	err = NULL;

	unlink(path);
	is_int(script_checksum(&s, hex, &err), RT_EINPUT, "checksum of a missing file fails");
	ok(err && strncmp(err, path, strlen(path)) == 0, "error names the file: %s", err);
	free(err);
	rmdir(dir);
	free(path);
}

int main(void)
{
	arena_init(&arena);
	test_manual_example();
	test_case_insensitive_keys();
	test_merge_empty_sections();
	test_irreversible();
	test_txn_none();
	test_crlf();
	test_preamble_comments();
	test_key_outside_header();
	test_message_rules();
	test_lists();
	test_markers();
	test_revision_id_errors();
	test_header_errors();
	test_marker_errors();
	test_bytes_errors();
	test_all_errors_reported();
	test_validators();
	test_render_roundtrip();
	test_filename();
	test_new_rev();
	test_file_access();
	arena_free(&arena);
	return done_testing();
}
