/* sqltoks.c: see sqltoks.h. */
#include "sqltoks.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

bool sqltoks_read(struct sqltoks *ts, const char *p, size_t n, enum sql_dialect d,
                  uint32_t line)
{
	struct sqllex lx;
	struct sql_token t;
	uint32_t depth;
	ts->n = 0;
	sqllex_init(&lx, p, n, d, line);
	while (sqllex_next_code(&lx, &t, &depth)) {
		if (ts->n == ts->cap) {
			ts->cap = ts->cap ? 2 * ts->cap : 64;
			ts->v = xrealloc(ts->v, ts->cap * sizeof(*ts->v));
		}
		ts->v[ts->n++] = (struct sqltok){t.type, p + t.off, (uint32_t)t.len, t.line, depth};
	}
	return t.type != SQL_TOK_ERROR;
}

void sqltoks_free(struct sqltoks *ts)
{
	free(ts->v);
	memset(ts, 0, sizeof *ts);
}

const struct sqltok *sqltok_at(const struct sqltok *v, uint32_t n, uint32_t i)
{
	static const struct sqltok eof = {SQL_TOK_EOF, "", 0, 0, 0};
	return i < n ? &v[i] : &eof;
}

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c | 0x20 : c;
}

bool sqltok_word(const struct sqltok *t, const char *kw)
{
	if (t->type != SQL_TOK_WORD || strlen(kw) != t->len)
		return false;
	for (uint32_t k = 0; k < t->len; k++)
		if (fold((unsigned char)t->s[k]) != fold((unsigned char)kw[k]))
			return false;
	return true;
}

bool sqltok_punct(const struct sqltok *t, char c)
{
	return t->type == SQL_TOK_PUNCT && t->len == 1 && t->s[0] == c;
}

bool sqltok_name(const struct sqltok *t)
{
	return t->type == SQL_TOK_WORD || t->type == SQL_TOK_QIDENT;
}

size_t sql_unquote(const char *s, size_t n, char *out)
{
	size_t w = 0;
	if (n < 2) {
		memcpy(out, s, n);
		out[n] = '\0';
		return n;
	}
	char close = s[0] == '[' ? ']' : s[0];
	for (size_t i = 1; i + 1 < n; i++) {
		out[w++] = s[i];
		if (s[i] == close && s[i + 1] == close && close != ']')
			i++;
	}
	out[w] = '\0';
	return w;
}
