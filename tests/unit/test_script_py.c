/* test_script_py.c: Alembic's .py revisions read without Python: the four
 * header assignments in every form Alembic's templates and people write,
 * the docstring as Alembic describes a revision, the sections, and each
 * value that is not a literal an error with its file and line. */
#include "ini.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"
#include "tap.h"

static struct arena arena;

static int parse(const char *path, const char *text, struct script *s, char **err)
{
	*err = NULL;
	return script_format_alembic.parse(path, text, strlen(text), &arena, s, err);
}

static void fails_with(const char *text, const char *want, const char *what)
{
	struct script s;
	char *err;
	int rc = parse("v/x.py", text, &s, &err);
	is_int(rc, RT_EINPUT, "%s: refused", what);
	is_str(err, want, "%s: message", what);
	free(err);
}

/* "a,b" for a list. */
static const char *joined(const char *const *v, uint32_t n)
{
	static char buf[512];
	buf[0] = '\0';
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			strcat(buf, ",");
		strcat(buf, v[i]);
	}
	return buf;
}

static const char *section(const char *text, size_t off, size_t len)
{
	static char buf[4096];
	if (len >= sizeof(buf))
		return "(too long)";
	memcpy(buf, text + off, len);
	buf[len] = '\0';
	return buf;
}

static const char generic[] =
	"\"\"\"add user email\n"
	"\n"
	"Revision ID: 3f2a9c1b7d4e\n"
	"Revises: 1a2b3c4d5e6f\n"
	"Create Date: 2026-11-21 10:30:00.123456\n"
	"\n"
	"\"\"\"\n"
	"from alembic import op\n"
	"import sqlalchemy as sa\n"
	"\n"
	"\n"
	"# revision identifiers, used by Alembic.\n"
	"revision = '3f2a9c1b7d4e'\n"
	"down_revision = '1a2b3c4d5e6f'\n"
	"branch_labels = None\n"
	"depends_on = None\n"
	"\n"
	"\n"
	"def upgrade() -> None:\n"
	"    op.add_column('users', sa.Column('email', sa.Text()))\n"
	"\n"
	"\n"
	"def downgrade() -> None:\n"
	"    op.drop_column('users', 'email')\n";

static const char annotated[] =
	"\"\"\"Expand: orders\n"
	"   by region\n"
	"\n"
	"Revision ID: b2\n"
	"Revises: a1, a2\n"
	"Create Date: 2026-01-02 03:04:05\n"
	"\"\"\"\n"
	"from typing import Sequence, Union\n"
	"\n"
	"revision: str = \"b2\"\n"
	"down_revision: Union[str, Sequence[str], None] = (\"a1\", \"a2\")\n"
	"branch_labels: Union[str, Sequence[str], None] = ('expand',)\n"
	"depends_on: Union[str, Sequence[str], None] = [\"c1\", 'contract']\n"
	"\n"
	"def upgrade():\n"
	"    op.execute(\"\"\"\n"
	"CREATE TABLE t (x int)\n"
	"\"\"\")\n"
	"# a comment at the margin, still inside upgrade()\n"
	"    pass\n"
	"\n"
	"def downgrade():\n"
	"    pass\n";

int main(void)
{
	arena_init(&arena);
	struct script s;
	char *err;

	/* Alembic's generic template. */
	is_int(parse("v/3f2a_add.py", generic, &s, &err), RT_OK, "the generic template parses");
	free(err);
	is_str(s.rev, "3f2a9c1b7d4e", "revision");
	is_str(joined(s.parents, s.nparents), "1a2b3c4d5e6f", "down_revision");
	is_int(s.nlabels, 0, "branch_labels None");
	is_int(s.ndepends, 0, "depends_on None");
	is_str(s.message, "add user email", "message: the docstring's first paragraph");
	is_str(s.create_date, "2026-11-21 10:30:00.123456", "Create Date from the docstring");
	ok(strncmp(s.doc, "add user email\n\nRevision ID: 3f2a9c1b7d4e\n", 41) == 0 &&
	   s.doc[strlen(s.doc) - 1] == '6', "doc: the docstring stripped");
	is_int(s.format, SCRIPT_FORMAT_ALEMBIC, "format");
	is_int(s.rev_line, 13, "revision's line");
	is_int(s.revises_line, 14, "down_revision's line");
	ok(s.has_downgrade, "downgrade() present");
	is_str(section(generic, s.up_off, s.up_len),
	       "def upgrade() -> None:\n    op.add_column('users', sa.Column('email', sa.Text()))\n",
	       "the upgrade section is upgrade()'s source");
	is_int(s.up_line, 19, "upgrade()'s line");
	is_str(section(generic, s.down_off, s.down_len),
	       "def downgrade() -> None:\n    op.drop_column('users', 'email')\n",
	       "the downgrade section");
	ok(script_format_of(&s) == &script_format_alembic, "script_format_of");
	is_int(script_format_alembic.exec, SCRIPT_EXEC_DELEGATED, "Alembic's steps are delegated");

	/* Annotated assignments, tuples, lists, both quotes. */
	is_int(parse("v/b2.py", annotated, &s, &err), RT_OK, "annotated header parses");
	free(err);
	is_str(s.rev, "b2", "annotated revision");
	is_str(joined(s.parents, s.nparents), "a1,a2", "tuple down_revision");
	is_str(joined(s.labels, s.nlabels), "expand", "one-element tuple of labels");
	is_str(joined(s.depends, s.ndepends), "c1,contract", "list of dependencies");
	is_str(s.message, "Expand: orders\n   by region", "a first paragraph of two lines");
	is_str(s.create_date, "2026-01-02 03:04:05", "Create Date");
	is_str(section(annotated, s.up_off, s.up_len),
	       "def upgrade():\n    op.execute(\"\"\"\nCREATE TABLE t (x int)\n\"\"\")\n"
	       "# a comment at the margin, still inside upgrade()\n    pass\n",
	       "a string and a comment at the margin stay inside upgrade()");

	/* Forms of values. */
	static const struct {
		const char *src, *parents, *labels, *depends;
	} forms[] = {
		{"revision = 'r'\ndown_revision = None\n", "", "", ""},
		{"revision = 'r'\ndown_revision = ()\n", "", "", ""},
		{"revision = 'r'\ndown_revision = ''\n", "", "", ""},
		{"revision = 'r'\ndown_revision = 'a', 'b'\n", "a,b", "", ""},
		{"revision = 'r'\ndown_revision = ('a')\n", "a", "", ""},
		{"revision = 'r'\ndown_revision = (\n    'a',  # first\n    'b',\n)\n", "a,b", "", ""},
		{"revision = 'r'\ndown_revision = [\"a\"]\nbranch_labels = 'x'\n", "a", "x", ""},
		{"revision = 'r'\ndown_revision = \\\n    'a'\n", "a", "", ""},
		{"revision = 'r'; down_revision = 'a'\n", "a", "", ""},
		{"revision = 'r'\ndown_revision = branch_labels = None\n", "", "", ""},
		{"revision = 'r'\ndown_revision = 'a' 'b'\n", "ab", "", ""},
		{"revision = 'r'\ndown_revision = r'a'\ndepends_on = u'd'\n", "a", "", "d"},
		{"revision: str = 'r'\ndown_revision: str | None = None\n", "", "", ""},
		{"revision = 'r'\ndown_revision = None\nif False:\n    revision = cli.X\n", "", "", ""},
		{"revision = 'q'\nrevision = 'r'\ndown_revision = None\n", "", "", ""},
	};
	for (size_t i = 0; i < RT_ARRAY_LEN(forms); i++) {
		int rc = parse("v/f.py", forms[i].src, &s, &err);
		is_int(rc, RT_OK, "form %zu parses", i);
		if (rc != RT_OK) {
			printf("# %s\n", err);
			free(err);
			continue;
		}
		is_str(s.rev, "r", "form %zu: revision", i);
		is_str(joined(s.parents, s.nparents), forms[i].parents, "form %zu: parents", i);
		is_str(joined(s.labels, s.nlabels), forms[i].labels, "form %zu: labels", i);
		is_str(joined(s.depends, s.ndepends), forms[i].depends, "form %zu: depends", i);
	}

	/* A docstring with escapes; none at all. */
	is_int(parse("v/e.py", "'''Tab\\there \\u00e9\\\n joined\n\nmore'''\nrevision = 'r'\n"
	             "down_revision = None\n", &s, &err), RT_OK, "escapes in the docstring");
	is_str(s.message, "Tab\there \xc3\xa9 joined", "escapes processed, line continuation joined");
	is_int(parse("v/e.py", "revision = 'r'\ndown_revision = None\n\"\"\"not a docstring\"\"\"\n",
	             &s, &err), RT_OK, "no docstring");
	is_str(s.message, "", "no docstring: no message");
	ok(s.create_date == NULL, "no docstring: no date");
	ok(!s.has_downgrade, "no downgrade()");
	is_int(parse("v/e.py", "\xEF\xBB\xBF\"doc\"\r\nrevision = 'r'\r\ndown_revision = None\r\n",
	             &s, &err), RT_OK, "a byte-order mark and CRLF lines");
	is_str(s.message, "doc", "message after a BOM");

	/* Alembic's legacy id from the file name. */
	is_int(parse("v/ae10.py", "down_revision = None\n", &s, &err), RT_OK,
	       "legacy: the id from '<hex>.py'");
	is_str(s.rev, "ae10", "legacy id");

	/* What retort refuses, each with its exact message. */
	fails_with("revision = 'r'\ndown_revision = cli.EXPAND_BRANCH\n",
	           "v/x.py:2: down_revision = cli.EXPAND_BRANCH is not a literal (a name, whose "
	           "value is known only when the module runs): retort reads revisions without "
	           "running Python; write a string, a tuple or list of strings, or None",
	           "a module constant");
	fails_with("revision = make_id()\ndown_revision = None\n",
	           "v/x.py:1: revision = make_id() is not a literal (a name, whose value is known "
	           "only when the module runs): retort reads revisions without running Python; "
	           "write a string, a tuple or list of strings, or None",
	           "a call");
	fails_with("revision = 'r'\ndown_revision = None\nbranch_labels = ('a', ('b',))\n",
	           "v/x.py:3: branch_labels = ('a', ('b',)) is not a literal (a sequence inside a "
	           "sequence): retort reads revisions without running Python; write a string, a "
	           "tuple or list of strings, or None",
	           "a nested tuple");
	fails_with("revision = 'r' + 'x'\ndown_revision = None\n",
	           "v/x.py:1: revision = 'r' + 'x' is not a literal (an expression, not a "
	           "literal): retort reads revisions without running Python; write a string, a "
	           "tuple or list of strings, or None",
	           "an expression");
	fails_with("revision = f'r{1}'\ndown_revision = None\n",
	           "v/x.py:1: revision = f'r{1}' is not a literal (an f-string is computed when the "
	           "module runs): retort reads revisions without running Python; write a string, a "
	           "tuple or list of strings, or None",
	           "an f-string");
	fails_with("revision = 'r'\ndown_revision += 'a'\n",
	           "v/x.py:2: down_revision is changed by '+=' (augmented assignment): its value is "
	           "known only when the module runs; write a literal",
	           "an augmented assignment");
	fails_with("revision = 'r\ndown_revision = None\n",
	           "v/x.py:1: unterminated string literal", "an unterminated string");
	fails_with("\"\"\"doc\n\nrevision = 'r'\n",
	           "v/x.py:1: unterminated triple-quoted string literal",
	           "an unterminated docstring");
	fails_with("revision = 'r'\ndown_revision = ('a',\n\ndef upgrade():\n    pass\n",
	           "v/x.py:2: '(' was never closed", "an unclosed bracket");
	fails_with("revision = 'r'\ndown_revision = None)\n", "v/x.py:2: unmatched ')'",
	           "an unmatched bracket");
	fails_with("down_revision = None\n",
	           "v/x.py:1: no module-level 'revision = …': the revision's id is missing",
	           "a missing revision");
	fails_with("revision = 'r'\n",
	           "v/x.py:1: no module-level 'down_revision = …' (None for a first revision)",
	           "a missing down_revision");
	fails_with("revision = 'a-b'\ndown_revision = None\n",
	           "v/x.py:1: malformed revision 'a-b': expected 1 to 32 of A-Z a-z 0-9 _",
	           "a revision id retort cannot store");
	fails_with("revision = None\ndown_revision = None\n", "v/x.py:1: revision must be a string",
	           "revision None");
	fails_with("revision = 'r'\ndown_revision = ('a', None)\n",
	           "v/x.py:2: down_revision = ('a', None) is not a literal (None inside a "
	           "sequence): retort reads revisions without running Python; write a string, a "
	           "tuple or list of strings, or None",
	           "None in a tuple");
	fails_with("revision, down_revision = 'r', None\n",
	           "v/x.py:1: revision is assigned by unpacking: write 'revision = …' with a "
	           "literal", "unpacking");

	/* Which files are revisions. */
	ok(script_format_alembic.wanted("3f2a_add.py"), "*.py is a revision");
	ok(!script_format_alembic.wanted("__init__.py"), "__init__.py is not");
	ok(!script_format_alembic.wanted(".#3f2a.py"), "an editor's lock file is not");
	ok(!script_format_alembic.wanted("x.pyc"), "*.pyc is not");
	ok(!script_format_sql.wanted("x.py"), ".sql scripts are not .py");

	arena_free(&arena);
	return done_testing();
}
