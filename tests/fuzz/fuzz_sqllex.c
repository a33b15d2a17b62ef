/* fuzz_sqllex.c: the SQL tokenizer, sqllex_split and sqlscope_beyond
 * (which reads DO blocks and the strings inside them) on arbitrary bytes,
 * in both dialects.
 *
 * Tokens must tile the text: in order, inside it, separated by blanks
 * only, each on the line its offset says. Statements must be in order,
 * inside the text, begin and end on token boundaries and carry their
 * first token's line; a failure names its line and returns nothing. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sqllex.h"
#include "sqlscope.h"
#include "util.h"

FUZZ_INIT(sqllex)
{
	return 0;
}

static bool is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Walks every token; marks where tokens start and end (size + 1 bytes
 * each) for the statement checks. */
static void check_tokens(const char *text, size_t size, enum sql_dialect d,
                         uint32_t first_line, bool *starts, bool *ends)
{
	struct sqllex lx;
	struct sql_token tok;
	size_t prev_end = 0;
	struct fuzz_lines lines;
	fuzz_lines_init(&lines, text, first_line);
	sqllex_init(&lx, text, size, d, first_line);
	for (size_t count = 0;; count++) {
		fuzz_check(count <= size, "more tokens than bytes");
		sqllex_next(&lx, &tok);
		fuzz_check(tok.off >= prev_end && tok.off <= size && tok.len <= size - tok.off,
		           "token [%zu, +%zu) after %zu in %zu bytes", tok.off, tok.len,
		           prev_end, size);
		for (size_t i = prev_end; i < tok.off; i++)
			fuzz_check(is_blank((unsigned char)text[i]), "byte %zu skipped", i);
		uint32_t line = fuzz_lines_at(&lines, tok.off);
		fuzz_check(tok.line == line, "token at %zu on line %u, not %u", tok.off,
		           tok.line, line);
		if (tok.type == SQL_TOK_EOF) {
			fuzz_check(tok.off == size && tok.len == 0, "EOF at %zu of %zu", tok.off, size);
			break;
		}
		fuzz_check(tok.len > 0, "empty token at %zu", tok.off);
		if (tok.type == SQL_TOK_ERROR)
			fuzz_check(tok.off + tok.len == size, "an error token that stops short");
		if (tok.type == SQL_TOK_WORD) {
			/* sqllex_is ignores ASCII case */
			char *kw = xstrndup(text + tok.off, tok.len);
			for (char *p = kw; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p | 0x20);
			if (strlen(kw) == tok.len)
				fuzz_check(sqllex_is(&lx, &tok, kw), "'%s' is not itself", kw);
			free(kw);
		}
		starts[tok.off] = true;
		ends[tok.off + tok.len] = true;
		prev_end = tok.off + tok.len;
	}
}

static void check_split(const char *text, size_t size, enum sql_dialect d,
                        uint32_t first_line)
{
	bool *starts = xcalloc(size + 1, sizeof *starts);
	bool *ends = xcalloc(size + 1, sizeof *ends);
	check_tokens(text, size, d, first_line, starts, ends);

	static struct sql_stmt untouched;
	struct sql_stmt *v = &untouched;
	uint32_t n = UINT32_MAX;
	char *err = NULL;
	int rc = sqllex_split(text, size, d, first_line, &v, &n, &err);
	if (rc == RT_OK) {
		fuzz_check(!err, "split with an error: %s", err);
		size_t prev_end = 0;
		struct fuzz_lines lines;
		fuzz_lines_init(&lines, text, first_line);
		for (uint32_t i = 0; i < n; i++) {
			const struct sql_stmt *s = &v[i];
			fuzz_check(s->off >= prev_end && s->off < size && s->len > 0 &&
			           s->len <= size - s->off,
			           "statement %u [%zu, +%zu) after %zu in %zu bytes", i, s->off,
			           s->len, prev_end, size);
			fuzz_check(starts[s->off] && ends[s->off + s->len],
			           "statement %u [%zu, +%zu) cuts a token", i, s->off, s->len);
			uint32_t line = fuzz_lines_at(&lines, s->off);
			fuzz_check(s->line == line, "statement %u on line %u, not %u", i, s->line,
			           line);
			prev_end = s->off + s->len;
		}
		free(v);
	} else {
		fuzz_check(rc == RT_EINPUT, "status %d", rc);
		fuzz_check(err && strncmp(err, "line ", 5) == 0 && strstr(err, ": unterminated "),
		           "error shape: %s", err);
		fuzz_check(v == &untouched && n == UINT32_MAX,
		           "a failed split wrote its results");
	}
	free(err);
	free(starts);
	free(ends);
}

/* A kind is named whenever a scope is found, within its buffer. */
static void check_scope(const char *text, size_t size, enum sql_dialect d)
{
	char what[24];
	memset(what, 'x', sizeof what);
	const char *scope = sqlscope_beyond(text, size, d, what, sizeof what);
	if (scope)
		fuzz_check(*scope && memchr(what, '\0', sizeof what) && *what,
		           "a scope without a kind");
}

FUZZ_ONE(sqllex)
{
	const char *text = (const char *)data;
	check_split(text, size, SQL_SQLITE, 1);
	check_split(text, size, SQL_POSTGRES, 42);
	check_scope(text, size, SQL_SQLITE);
	check_scope(text, size, SQL_POSTGRES);
	return 0;
}
