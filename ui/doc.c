/* doc.c: the preview's text, a theme role per byte, and SQL highlighting
 * from the engine's lexer. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "console.h"
#include "sqllex.h"

#define TAB_WIDTH 4

void doc_reset(struct doc *d)
{
	sb_reset(&d->text);
	d->lines.n = 0;
	d->edits++;
}

void doc_free(struct doc *d)
{
	sb_free(&d->text);
	free(d->roles);
	u32vec_free(&d->lines);
	memset(d, 0, sizeof(*d));
}

/* Appends n bytes; role is either one role for all (roles NULL) or per byte.
 * Tabs become spaces and carriage returns are dropped, so that a line's
 * bytes are what the terminal shows. */
static void add_bytes(struct doc *d, const char *s, size_t n, enum theme_role role,
                      const unsigned char *roles)
{
	d->edits++;
	if (d->text.len == 0 && d->lines.n == 0)
		u32vec_push(&d->lines, 0);
	for (size_t i = 0; i < n; i++) {
		unsigned char r = roles ? roles[i] : (unsigned char)role;
		char ch = s[i];
		if (ch == '\r')
			continue;
		size_t reps = 1;
		if (ch == '\t') {
			size_t col = d->text.len - d->lines.v[d->lines.n - 1];
			reps = TAB_WIDTH - col % TAB_WIDTH;
			ch = ' ';
		}
		if (d->text.len + reps + 1 > d->rcap) {
			d->rcap = 2 * (d->text.len + reps + 1) + 256;
			d->roles = xrealloc(d->roles, d->rcap);
		}
		for (size_t k = 0; k < reps; k++) {
			d->roles[d->text.len] = r;
			sb_addc(&d->text, ch);
		}
		if (ch == '\n')
			u32vec_push(&d->lines, (uint32_t)d->text.len);
	}
}

void doc_add(struct doc *d, enum theme_role role, const char *s)
{
	add_bytes(d, s, strlen(s), role, NULL);
}

void doc_addf(struct doc *d, enum theme_role role, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	doc_add(d, role, s);
	free(s);
}

uint32_t doc_lines(const struct doc *d)
{
	if (d->lines.n == 0)
		return 0;
	/* A final newline does not start a line of its own. */
	return d->lines.v[d->lines.n - 1] == d->text.len ? d->lines.n - 1 : d->lines.n;
}

void doc_line(const struct doc *d, uint32_t i, size_t *start, size_t *len)
{
	*start = d->lines.v[i];
	size_t end = i + 1 < d->lines.n ? d->lines.v[i + 1] - 1 : d->text.len;
	*len = end - *start;
}

/* Common SQL keywords, sorted, for highlighting only: an identifier that
 * happens to be listed is merely shown in bold. */
static const char *const keywords[] = {
	"ABORT", "ACTION", "ADD", "AFTER", "ALL", "ALTER", "ANALYZE", "AND", "AS", "ASC",
	"AUTOINCREMENT", "BEFORE", "BEGIN", "BETWEEN", "BIGINT", "BIGSERIAL", "BOOLEAN",
	"BY", "CASCADE", "CASE", "CAST", "CHAR", "CHECK", "COLLATE", "COLUMN", "COMMENT",
	"COMMIT", "CONCURRENTLY", "CONFLICT", "CONSTRAINT", "CREATE", "CROSS", "CURRENT_DATE",
	"CURRENT_TIMESTAMP", "DATE", "DECIMAL", "DEFAULT", "DEFERRABLE", "DELETE", "DESC",
	"DISTINCT", "DO", "DOUBLE", "DROP", "EACH", "ELSE", "END", "ENUM", "EXCEPT", "EXISTS",
	"EXTENSION", "FALSE", "FOR", "FOREIGN", "FROM", "FULL", "FUNCTION", "GRANT", "GROUP",
	"HAVING", "IF", "IN", "INDEX", "INNER", "INSERT", "INT", "INTEGER", "INTERSECT",
	"INTO", "IS", "JOIN", "JSON", "JSONB", "KEY", "LEFT", "LIKE", "LIMIT", "NOT", "NULL",
	"NUMERIC", "OF", "OFFSET", "ON", "OR", "ORDER", "OUTER", "PRIMARY", "PROCEDURE",
	"REAL", "REFERENCES", "RENAME", "REPLACE", "RESTRICT", "RETURNING", "RETURNS",
	"REVOKE", "RIGHT", "ROLLBACK", "ROW", "SCHEMA", "SELECT", "SEQUENCE", "SERIAL",
	"SET", "SMALLINT", "TABLE", "TEMP", "TEMPORARY", "TEXT", "THEN", "TIMESTAMP",
	"TIMESTAMPTZ", "TO", "TRIGGER", "TRUE", "TYPE", "UNION", "UNIQUE", "UPDATE",
	"USING", "UUID", "VALUES", "VARCHAR", "VIEW", "WHEN", "WHERE", "WITH", "WITHOUT",
};

static bool is_keyword(const char *s, size_t n)
{
	size_t lo = 0, hi = RT_ARRAY_LEN(keywords);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncasecmp(s, keywords[mid], n);
		if (c == 0 && keywords[mid][n] != '\0')
			c = -1;
		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

static enum theme_role token_role(const char *sql, const struct sql_token *t)
{
	switch (t->type) {
	case SQL_TOK_WORD:
		return is_keyword(sql + t->off, t->len) ? THEME_KEYWORD : THEME_NORMAL;
	case SQL_TOK_STRING:
		return THEME_STRING;
	case SQL_TOK_NUMBER:
		return THEME_NUMBER;
	case SQL_TOK_COMMENT:
		return THEME_COMMENT;
	case SQL_TOK_ERROR:
		return THEME_ERROR;
	default:
		return THEME_NORMAL;
	}
}

/* text's lines, each after its number (first_line for the first), with a
 * role per byte. */
static void add_numbered(struct doc *d, const char *text, size_t len,
                         const unsigned char *roles, uint32_t first_line)
{
	uint32_t line = first_line;
	for (size_t at = 0; at < len; line++) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) + 1 : len;
		doc_addf(d, THEME_LINENO, "%*u ", DOC_GUTTER - 1, line);
		add_bytes(d, text + at, end - at, THEME_NORMAL, roles + at);
		at = end;
	}
	if (len && text[len - 1] != '\n')
		doc_add(d, THEME_NORMAL, "\n");
}

void doc_add_sql(struct doc *d, const char *sql, size_t len, enum sql_dialect dialect,
                 uint32_t first_line)
{
	unsigned char *roles = xcalloc(len + 1, 1);
	struct sqllex lx;
	sqllex_init(&lx, sql, len, dialect, first_line);
	for (;;) {
		struct sql_token t;
		sqllex_next(&lx, &t);
		if (t.type == SQL_TOK_EOF)
			break;
		memset(roles + t.off, token_role(sql, &t), t.len);
		if (t.type == SQL_TOK_ERROR)
			break;
	}
	add_numbered(d, sql, len, roles, first_line);
	free(roles);
}

void doc_add_python(struct doc *d, const char *src, size_t len, uint32_t first_line)
{
	unsigned char *roles = xcalloc(len + 1, 1);
	char quote = 0;
	for (size_t i = 0; i < len; i++) {
		char c = src[i];
		if (quote) {
			roles[i] = THEME_NORMAL;
			if (c == '\\' && i + 1 < len)
				roles[++i] = THEME_NORMAL;
			else if (c == quote || c == '\n')
				quote = 0;
		} else if (c == '\'' || c == '"') {
			quote = c;
		} else if (c == '#') {
			while (i < len && src[i] != '\n')
				roles[i++] = THEME_COMMENT;
		}
	}
	add_numbered(d, src, len, roles, first_line);
	free(roles);
}

void doc_add_wrapped(struct doc *d, enum theme_role role, const char *text, int width)
{
	if (width < 8)
		width = 8;
	for (const char *p = text;;) {
		const char *end = p + strcspn(p, "\n");
		do {
			/* The longest run of whole words that fits; a word longer than
			 * the width is cut. */
			const char *q = p, *brk = NULL;
			int cols = 0, w;
			while (q < end) {
				size_t len = text_char(q, (size_t)(end - q), &w);
				if (cols + w > width)
					break;
				if (*q == ' ')
					brk = q;
				cols += w;
				q += len;
			}
			if (q == p && q < end)
				q += text_char(q, (size_t)(end - q), &w);
			else if (q < end && brk > p)
				q = brk;
			add_bytes(d, p, (size_t)(q - p), role, NULL);
			doc_add(d, role, "\n");
			for (p = q; p < end && *p == ' '; p++)
				;
		} while (p < end);
		if (!*end || !end[1])
			break;
		p = end + 1;
	}
}
