/* sqllex.c: a single-pass SQL tokenizer and statement splitter.
 *
 * The lexer never allocates: tokens are (offset, length) views into the
 * borrowed text, so splitting a large script costs one pass plus the
 * statement array. An unterminated construct becomes one SQL_TOK_ERROR
 * token running to the end of the text, which also ends the token stream. */

#include "sqllex.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define UNTERMINATED SIZE_MAX

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_hex(unsigned char c)
{
	return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* Bytes >= 0x80 count as letters so that UTF-8 identifiers stay whole. */
static bool is_ident_start(unsigned char c)
{
	return c == '_' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c >= 0x80;
}

/* Both engines accept '$' inside an identifier; in PostgreSQL this is what
 * keeps `a$$` from opening a dollar quote. */
static bool is_ident_cont(unsigned char c)
{
	return is_ident_start(c) || is_digit(c) || c == '$';
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static unsigned char at(const struct sqllex *lx, size_t i)
{
	return i < lx->len ? (unsigned char)lx->text[i] : 0;
}

/* Moves to end, counting the newlines passed over. */
static void advance_to(struct sqllex *lx, size_t end)
{
	const char *p = lx->text + lx->pos;
	const char *e = lx->text + end;
	while (p < e && (p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		lx->line++;
		p++;
	}
	lx->pos = end;
}

/* i is just past the opening quote. A doubled closing quote is an escaped
 * one when `doubled`; a backslash escapes the next byte when `backslash`. */
static size_t scan_quoted(const struct sqllex *lx, size_t i, char q,
                          bool doubled, bool backslash)
{
	const char *t = lx->text;
	while (i < lx->len) {
		char c = t[i];
		if (c == q) {
			if (doubled && at(lx, i + 1) == (unsigned char)q) {
				i += 2;
				continue;
			}
			return i + 1;
		}
		i += (backslash && c == '\\') ? 2 : 1;
	}
	return UNTERMINATED;
}

/* i is just past the opening slash-star. */
static size_t scan_block_comment(const struct sqllex *lx, size_t i, bool nest)
{
	unsigned depth = 1;
	while (i + 1 < lx->len) {
		unsigned char c = at(lx, i), d = at(lx, i + 1);
		if (c == '*' && d == '/') {
			i += 2;
			if (--depth == 0)
				return i;
		} else if (nest && c == '/' && d == '*') {
			depth++;
			i += 2;
		} else {
			i++;
		}
	}
	return UNTERMINATED;
}

/* Length of the $tag$ opener at i, or 0 when the '$' does not open one
 * (a `$1` parameter, or a lone '$'). */
static size_t dollar_tag_len(const struct sqllex *lx, size_t i)
{
	size_t k = i + 1;
	if (at(lx, k) == '$')
		return 2;
	if (!is_ident_start(at(lx, k)))
		return 0;
	while (k < lx->len && (is_ident_start(at(lx, k)) || is_digit(at(lx, k))))
		k++;
	return at(lx, k) == '$' ? k + 1 - i : 0;
}

static size_t scan_dollar_body(const struct sqllex *lx, size_t i, size_t taglen)
{
	const char *tag = lx->text + i;
	size_t p = i + taglen;
	while (p + taglen <= lx->len) {
		const char *d = memchr(lx->text + p, '$', lx->len - p);
		if (d == NULL)
			break;
		p = (size_t)(d - lx->text);
		if (p + taglen <= lx->len && memcmp(d, tag, taglen) == 0)
			return p + taglen;
		p++;
	}
	return UNTERMINATED;
}

static size_t scan_number(const struct sqllex *lx, size_t i)
{
	if (at(lx, i) == '0' && (at(lx, i + 1) | 0x20) == 'x' &&
	    is_hex(at(lx, i + 2))) {
		i += 2;
		while (is_hex(at(lx, i)) || at(lx, i) == '_')
			i++;
		return i;
	}
	while (is_digit(at(lx, i)) || at(lx, i) == '_')
		i++;
	if (at(lx, i) == '.') {
		i++;
		while (is_digit(at(lx, i)) || at(lx, i) == '_')
			i++;
	}
	if ((at(lx, i) | 0x20) == 'e') {
		size_t j = i + 1;
		if (at(lx, j) == '+' || at(lx, j) == '-')
			j++;
		if (is_digit(at(lx, j))) {
			i = j;
			while (is_digit(at(lx, i)))
				i++;
		}
	}
	return i;
}

/* Operators that read as one unit; anything else is a single byte. */
static size_t punct_len(const struct sqllex *lx, size_t i)
{
	static const char two[][3] = {
		"::", "<=", ">=", "<>", "!=", "||", "->", "=>", ":=", "==",
		"<<", ">>",
	};
	if (at(lx, i) == '-' && at(lx, i + 1) == '>' && at(lx, i + 2) == '>')
		return 3;
	for (size_t k = 0; k < RT_ARRAY_LEN(two); k++)
		if (at(lx, i) == (unsigned char)two[k][0] &&
		    at(lx, i + 1) == (unsigned char)two[k][1])
			return 2;
	return 1;
}

void sqllex_init(struct sqllex *lx, const char *text, size_t len,
                 enum sql_dialect dialect, uint32_t first_line)
{
	lx->text = text;
	lx->len = len;
	lx->pos = 0;
	lx->line = first_line;
	lx->dialect = dialect;
	lx->depth = 0;
	lx->opened = false;
}

bool sqllex_next_code(struct sqllex *lx, struct sql_token *tok, uint32_t *depth)
{
	if (lx->opened)
		lx->depth++;
	lx->opened = false;
	do {
		sqllex_next(lx, tok);
		if (tok->type == SQL_TOK_EOF || tok->type == SQL_TOK_ERROR)
			return false;
	} while (tok->type == SQL_TOK_COMMENT);
	char ch = tok->type == SQL_TOK_PUNCT && tok->len == 1 ? lx->text[tok->off] : '\0';
	if (ch == ')' && lx->depth > 0)
		lx->depth--;
	lx->opened = ch == '(';
	*depth = lx->depth;
	return true;
}

void sqllex_next(struct sqllex *lx, struct sql_token *tok)
{
	bool pg = lx->dialect == SQL_POSTGRES;
	while (lx->pos < lx->len && is_space(at(lx, lx->pos))) {
		if (at(lx, lx->pos) == '\n')
			lx->line++;
		lx->pos++;
	}
	size_t i = lx->pos, end;
	unsigned char c = at(lx, i), d = at(lx, i + 1);
	tok->off = i;
	tok->line = lx->line;
	if (i >= lx->len) {
		tok->type = SQL_TOK_EOF;
		tok->len = 0;
		return;
	}

	enum sql_tok type;
	size_t taglen;
	if (c == '-' && d == '-') {
		const char *nl = memchr(lx->text + i, '\n', lx->len - i);
		type = SQL_TOK_COMMENT;
		end = nl ? (size_t)(nl - lx->text) : lx->len;
	} else if (c == '/' && d == '*') {
		type = SQL_TOK_COMMENT;
		end = scan_block_comment(lx, i + 2, pg);
	} else if (c == '\'') {
		type = SQL_TOK_STRING;
		end = scan_quoted(lx, i + 1, '\'', true, false);
	} else if (pg && (c | 0x20) == 'e' && d == '\'') {
		type = SQL_TOK_STRING;
		end = scan_quoted(lx, i + 2, '\'', true, true);
	} else if (c != 0 && d == '\'' && strchr("bBnNxX", c)) {
		/* bit, national and blob/hex literals: the prefix is part of the
		 * string, as for E'' */
		type = SQL_TOK_STRING;
		end = scan_quoted(lx, i + 2, '\'', true, false);
	} else if (c == '"') {
		type = SQL_TOK_QIDENT;
		end = scan_quoted(lx, i + 1, '"', true, false);
	} else if (!pg && c == '[') {
		type = SQL_TOK_QIDENT;
		end = scan_quoted(lx, i + 1, ']', false, false);
	} else if (!pg && c == '`') {
		type = SQL_TOK_QIDENT;
		end = scan_quoted(lx, i + 1, '`', true, false);
	} else if (pg && c == '$' && (taglen = dollar_tag_len(lx, i)) > 0) {
		type = SQL_TOK_STRING;
		end = scan_dollar_body(lx, i, taglen);
	} else if (pg && c == '$' && is_digit(d)) {
		/* a positional parameter: one bare token, like a name */
		type = SQL_TOK_WORD;
		end = i + 1;
		while (is_digit(at(lx, end)))
			end++;
	} else if (c == ';') {
		type = SQL_TOK_SEMI;
		end = i + 1;
	} else if (is_ident_start(c)) {
		type = SQL_TOK_WORD;
		end = i + 1;
		while (end < lx->len && is_ident_cont(at(lx, end)))
			end++;
	} else if (is_digit(c) || (c == '.' && is_digit(d))) {
		type = SQL_TOK_NUMBER;
		end = scan_number(lx, i);
	} else {
		type = SQL_TOK_PUNCT;
		end = i + punct_len(lx, i);
	}

	if (end == UNTERMINATED) {
		type = SQL_TOK_ERROR;
		end = lx->len;
	}
	tok->type = type;
	tok->len = end - i;
	advance_to(lx, end);
}

int sqllex_is(const struct sqllex *lx, const struct sql_token *tok, const char *kw)
{
	if (tok->type != SQL_TOK_WORD)
		return 0;
	const char *w = lx->text + tok->off;
	size_t n = tok->len;
	for (size_t k = 0; k < n; k++) {
		unsigned char a = (unsigned char)w[k], b = (unsigned char)kw[k];
		if (b == 0)
			return 0;
		if (a >= 'A' && a <= 'Z')
			a |= 0x20;
		if (b >= 'A' && b <= 'Z')
			b |= 0x20;
		if (a != b)
			return 0;
	}
	return kw[n] == '\0';
}

/* The next token that is not a comment. */
static void next_code(struct sqllex *lx, struct sql_token *tok)
{
	do
		sqllex_next(lx, tok);
	while (tok->type == SQL_TOK_COMMENT);
}

/* A name as SQLite reads it: a bare word, or "quoted", [quoted], `quoted`
 * or 'quoted' (SQLite takes a string where a name is expected). */
static bool is_name(const struct sqllex *lx, const struct sql_token *tok, const char *name)
{
	if (tok->type == SQL_TOK_WORD)
		return sqllex_is(lx, tok, name);
	size_t n = strlen(name);
	if ((tok->type != SQL_TOK_QIDENT && tok->type != SQL_TOK_STRING) || tok->len != n + 2)
		return false;
	struct sql_token inner = {SQL_TOK_WORD, tok->off + 1, n, tok->line};
	return sqllex_is(lx, &inner, name);
}

int sqllex_sets_pragma(const char *text, size_t len, const char *name)
{
	struct sqllex lx;
	struct sql_token tok;
	sqllex_init(&lx, text, len, SQL_SQLITE, 1);
	next_code(&lx, &tok);
	if (!sqllex_is(&lx, &tok, "pragma"))
		return 0;
	struct sql_token first;
	next_code(&lx, &first);
	next_code(&lx, &tok);
	struct sql_token pname = first;
	if (tok.type == SQL_TOK_PUNCT && tok.len == 1 && text[tok.off] == '.') {
		next_code(&lx, &pname);
		next_code(&lx, &tok);
	}
	if (!is_name(&lx, &pname, name) || tok.type != SQL_TOK_PUNCT)
		return 0;
	/* SQLite reads == as = */
	return text[tok.off] == '(' ||
	       (text[tok.off] == '=' && (tok.len == 1 || (tok.len == 2 && text[tok.off + 1] == '=')));
}

/* What an error token failed to close, told by how it opens. */
static const char *unterminated_what(const struct sqllex *lx,
                                     const struct sql_token *tok)
{
	switch (at(lx, tok->off)) {
	case '"':
	case '[':
	case '`':
		return "quoted identifier";
	case '/':
		return "comment";
	case '$':
		return "dollar-quoted string";
	default:
		return "string";
	}
}

/* The first few significant tokens of a statement: enough to recognise the
 * statements whose bodies may hold semicolons. */
struct stmt_head {
	struct sql_token tok[4];
	unsigned n;
};

static bool head_is(const struct sqllex *lx, const struct stmt_head *h,
                    unsigned i, const char *kw)
{
	return i < h->n && sqllex_is(lx, &h->tok[i], kw);
}

/* SQLite: CREATE [TEMP|TEMPORARY] TRIGGER */
static bool head_is_trigger(const struct sqllex *lx, const struct stmt_head *h)
{
	if (!head_is(lx, h, 0, "create"))
		return false;
	unsigned i = 1;
	if (head_is(lx, h, 1, "temp") || head_is(lx, h, 1, "temporary"))
		i = 2;
	return head_is(lx, h, i, "trigger");
}

/* PostgreSQL: CREATE [OR REPLACE] FUNCTION|PROCEDURE */
static bool head_is_routine(const struct sqllex *lx, const struct stmt_head *h)
{
	if (!head_is(lx, h, 0, "create"))
		return false;
	unsigned i = 1;
	if (head_is(lx, h, 1, "or") && head_is(lx, h, 2, "replace"))
		i = 3;
	return head_is(lx, h, i, "function") || head_is(lx, h, i, "procedure");
}

/* Statement-level state while splitting. A block (a trigger body, or a
 * BEGIN ATOMIC routine body) holds semicolons; CASE … END nests inside it
 * and must not close it. Parentheses hold semicolons in PostgreSQL too
 * (CREATE RULE … DO (a; b)), as psql reads them. */
struct split_state {
	struct stmt_head head;
	bool started;
	size_t off, end;
	uint32_t line;
	unsigned block;
	unsigned parens;
	bool prev_begin;
};

static void split_track(const struct sqllex *lx, struct split_state *s,
                        const struct sql_token *tok)
{
	bool pg = lx->dialect == SQL_POSTGRES;
	if (!s->started) {
		s->started = true;
		s->off = tok->off;
		s->line = tok->line;
	}
	s->end = tok->off + tok->len;
	if (s->head.n < RT_ARRAY_LEN(s->head.tok))
		s->head.tok[s->head.n++] = *tok;

	if (tok->type == SQL_TOK_PUNCT && pg && tok->len == 1) {
		char c = lx->text[tok->off];
		if (c == '(')
			s->parens++;
		else if (c == ')' && s->parens > 0)
			s->parens--;
	}

	bool begin = sqllex_is(lx, tok, "begin");
	if (s->block > 0) {
		if (sqllex_is(lx, tok, "case"))
			s->block++;
		else if (sqllex_is(lx, tok, "end"))
			s->block--;
	} else if (pg ? (s->prev_begin && sqllex_is(lx, tok, "atomic") &&
	                 head_is_routine(lx, &s->head))
	              : (begin && head_is_trigger(lx, &s->head))) {
		s->block = 1;
	}
	s->prev_begin = begin;
}

int sqllex_split(const char *text, size_t len, enum sql_dialect dialect,
                 uint32_t first_line, struct sql_stmt **out, uint32_t *n,
                 char **err)
{
	struct sqllex lx;
	struct sql_token tok;
	struct split_state s;
	struct sql_stmt *v = NULL;
	uint32_t nv = 0, cap = 0;

	sqllex_init(&lx, text, len, dialect, first_line);
	memset(&s, 0, sizeof s);
	for (;;) {
		sqllex_next(&lx, &tok);
		if (tok.type == SQL_TOK_ERROR) {
			free(v);
			return rt_err(err, RT_EINPUT, "line %u: unterminated %s",
			              (unsigned)tok.line, unterminated_what(&lx, &tok));
		}
		if (tok.type == SQL_TOK_COMMENT)
			continue;
		bool ends = tok.type == SQL_TOK_EOF ||
		            (tok.type == SQL_TOK_SEMI && s.block == 0 && s.parens == 0);
		if (!ends) {
			split_track(&lx, &s, &tok);
			continue;
		}
		if (s.started) {
			if (nv == cap) {
				cap = cap ? cap * 2 : 16;
				v = xrealloc(v, cap * sizeof *v);
			}
			v[nv++] = (struct sql_stmt){s.off, s.end - s.off, s.line};
		}
		if (tok.type == SQL_TOK_EOF)
			break;
		memset(&s, 0, sizeof s);
	}
	*out = v;
	*n = nv;
	return RT_OK;
}

/* The next word of a statement, comments skipped; false at anything else. */
static bool next_word(struct sqllex *lx, struct sql_token *t)
{
	do
		sqllex_next(lx, t);
	while (t->type == SQL_TOK_COMMENT);
	return t->type == SQL_TOK_WORD;
}

const char *sqllex_txn_control(const char *text, size_t len, enum sql_dialect dialect)
{
	struct sqllex lx;
	struct sql_token t;
	sqllex_init(&lx, text, len, dialect, 1);
	if (!next_word(&lx, &t))
		return NULL;
	if (sqllex_is(&lx, &t, "begin"))
		return "BEGIN";
	if (sqllex_is(&lx, &t, "commit"))
		return "COMMIT";
	if (sqllex_is(&lx, &t, "end"))
		return "END";
	if (sqllex_is(&lx, &t, "abort"))
		return "ABORT";
	if (sqllex_is(&lx, &t, "start"))
		return next_word(&lx, &t) && sqllex_is(&lx, &t, "transaction") ? "START TRANSACTION"
		                                                                : NULL;
	if (sqllex_is(&lx, &t, "prepare"))
		return next_word(&lx, &t) && sqllex_is(&lx, &t, "transaction") ? "PREPARE TRANSACTION"
		                                                                : NULL;
	if (!sqllex_is(&lx, &t, "rollback"))
		return NULL;
	/* ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] name stays inside */
	if (!next_word(&lx, &t))
		return "ROLLBACK";
	if (sqllex_is(&lx, &t, "work") || sqllex_is(&lx, &t, "transaction")) {
		if (!next_word(&lx, &t))
			return "ROLLBACK";
	}
	return sqllex_is(&lx, &t, "to") ? NULL : "ROLLBACK";
}
