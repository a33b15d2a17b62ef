/* script_py.c: Alembic's .py revisions, read without running Python.
 *
 * A revision's place in the graph is in four module-level assignments
 * (revision, down_revision, branch_labels, depends_on, plain or annotated)
 * and its description in the module's docstring. They are found with a
 * small tokenizer of Python's lexical rules (strings with their prefixes
 * and escapes, comments, brackets, continuation lines), enough to tell
 * module-level statements from the rest and to evaluate the literals
 * Alembic writes: strings, tuples and lists of strings, None. A value that
 * is anything else (a name, an attribute, a call, an expression) is an
 * error naming the file and line: what it would be at run time is not
 * knowable without running the module, and a guess could plan the wrong
 * migration.
 *
 * The sections are the source of the module-level functions upgrade()
 * and downgrade(): what the console and `show` display. A step never runs
 * them here; Alembic does (script_format_alembic delegates). */

#include "script.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum tok_kind { T_NAME, T_STRING, T_NUMBER, T_OP, T_NEWLINE, T_END };

struct tok {
	enum tok_kind kind;
	size_t off, end;      /* bytes [off, end) of the file */
	uint32_t line;
	uint32_t col;         /* bytes from the start of its line */
	int depth;            /* bracket depth before the token */
};

struct lexer {
	const char *path;
	const char *buf;
	size_t len, pos;
	uint32_t line;
	size_t line_start;
	char brackets[200];   /* the open brackets */
	uint32_t bracket_line[200];
	int depth;
	bool pending;         /* the logical line has tokens */
	bool failed;
	char **errs;
};

RT_PRINTF(3, 4) static void lex_error(struct lexer *lx, uint32_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	rt_err(lx->errs, RT_EINPUT, "%s:%u: %s", lx->path, line, msg);
	free(msg);
	lx->failed = true;
}

static void newline_at(struct lexer *lx, size_t nl)
{
	lx->line++;
	lx->line_start = nl + 1;
}

static bool name_start(unsigned char c)
{
	return isalpha(c) || c == '_' || c >= 0x80;
}

static bool name_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

/* A string prefix ("r", "b", "Rb", "f", …) of n letters at p. */
static bool string_prefix(const char *p, size_t n)
{
	bool r = false, b = false, u = false, f = false;
	for (size_t i = 0; i < n; i++) {
		switch (tolower((unsigned char)p[i])) {
		case 'r': if (r) return false; r = true; break;
		case 'b': if (b) return false; b = true; break;
		case 'u': if (u) return false; u = true; break;
		case 'f': if (f) return false; f = true; break;
		default: return false;
		}
	}
	return !(u && (r || b || f)) && !(b && f);
}

/* The string starting at lx->pos (its prefix included); lx->pos ends past
 * its closing quote. False (with the error said) when it never ends. */
static bool lex_string(struct lexer *lx, size_t quote)
{
	const char *b = lx->buf;
	char q = b[quote];
	bool triple = quote + 2 < lx->len && b[quote + 1] == q && b[quote + 2] == q;
	uint32_t start_line = lx->line;
	size_t i = quote + (triple ? 3 : 1);
	while (i < lx->len) {
		char c = b[i];
		if (c == '\\' && i + 1 < lx->len) {
			if (b[i + 1] == '\n')
				newline_at(lx, i + 1);
			i += 2;
			continue;
		}
		if (c == '\n') {
			if (!triple) {
				lex_error(lx, start_line, "unterminated string literal");
				return false;
			}
			newline_at(lx, i);
		} else if (c == q && (!triple || (i + 2 < lx->len && b[i + 1] == q && b[i + 2] == q))) {
			lx->pos = i + (triple ? 3 : 1);
			return true;
		}
		i++;
	}
	lex_error(lx, start_line, triple ? "unterminated triple-quoted string literal"
	                                 : "unterminated string literal");
	return false;
}

static size_t op_len(const char *p, size_t left)
{
	static const char *const three[] = {"**=", "//=", ">>=", "<<=", "..."};
	static const char *const two[] = {"==", "!=", "<=", ">=", "->", ":=", "+=", "-=", "*=",
	                                  "/=", "%=", "&=", "|=", "^=", "@=", "**", "//", "<<",
	                                  ">>"};
	for (size_t i = 0; i < RT_ARRAY_LEN(three) && left >= 3; i++)
		if (memcmp(p, three[i], 3) == 0)
			return 3;
	for (size_t i = 0; i < RT_ARRAY_LEN(two) && left >= 2; i++)
		if (memcmp(p, two[i], 2) == 0)
			return 2;
	return 1;
}

/* The next token; T_NEWLINE ends each logical line that has tokens. */
static void lex_next(struct lexer *lx, struct tok *t)
{
	const char *b = lx->buf;
	memset(t, 0, sizeof(*t));
	for (;;) {
		while (lx->pos < lx->len && (b[lx->pos] == ' ' || b[lx->pos] == '\t' ||
		                             b[lx->pos] == '\f' || b[lx->pos] == '\r'))
			lx->pos++;
		if (lx->pos < lx->len && b[lx->pos] == '#') {
			while (lx->pos < lx->len && b[lx->pos] != '\n')
				lx->pos++;
		}
		if (lx->pos < lx->len && b[lx->pos] == '\\') {
			size_t j = lx->pos + 1;
			if (j < lx->len && b[j] == '\r')
				j++;
			if (j < lx->len && b[j] == '\n') {
				newline_at(lx, j);
				lx->pos = j + 1;
				continue;
			}
		}
		if (lx->pos < lx->len && b[lx->pos] == '\n') {
			size_t nl = lx->pos++;
			bool ends = lx->depth == 0 && lx->pending;
			t->kind = T_NEWLINE;
			t->off = nl;
			t->end = nl + 1;
			t->line = lx->line;
			newline_at(lx, nl);
			if (ends) {
				lx->pending = false;
				return;
			}
			continue;
		}
		break;
	}
	memset(t, 0, sizeof(*t));
	t->off = lx->pos;
	t->line = lx->line;
	t->col = (uint32_t)(lx->pos - lx->line_start);
	t->depth = lx->depth;
	if (lx->pos >= lx->len) {
		if (lx->depth > 0) {
			int k = lx->depth <= (int)sizeof(lx->brackets) ? lx->depth - 1
			                                               : (int)sizeof(lx->brackets) - 1;
			lex_error(lx, lx->bracket_line[k], "'%c' was never closed", lx->brackets[k]);
			lx->depth = 0;
			lx->pending = false;
		}
		if (lx->pending) {
			lx->pending = false;
			t->kind = T_NEWLINE;
			t->end = t->off;
			return;
		}
		t->kind = T_END;
		t->end = t->off;
		return;
	}
	lx->pending = true;
	unsigned char c = (unsigned char)b[lx->pos];
	if (name_start(c)) {
		size_t e = lx->pos;
		while (e < lx->len && name_char((unsigned char)b[e]))
			e++;
		if (e < lx->len && (b[e] == '\'' || b[e] == '"') && e - lx->pos <= 2 &&
		    string_prefix(b + lx->pos, e - lx->pos)) {
			t->kind = T_STRING;
			if (!lex_string(lx, e))
				lx->pos = lx->len;
			t->end = lx->pos;
			return;
		}
		t->kind = T_NAME;
		lx->pos = t->end = e;
		return;
	}
	if (c == '\'' || c == '"') {
		t->kind = T_STRING;
		if (!lex_string(lx, lx->pos))
			lx->pos = lx->len;
		t->end = lx->pos;
		return;
	}
	if (isdigit(c) || (c == '.' && lx->pos + 1 < lx->len && isdigit((unsigned char)b[lx->pos + 1]))) {
		size_t e = lx->pos + 1;
		while (e < lx->len && (isalnum((unsigned char)b[e]) || b[e] == '_' || b[e] == '.' ||
		                       ((b[e] == '+' || b[e] == '-') && tolower((unsigned char)b[e - 1]) == 'e')))
			e++;
		t->kind = T_NUMBER;
		lx->pos = t->end = e;
		return;
	}
	t->kind = T_OP;
	size_t n = op_len(b + lx->pos, lx->len - lx->pos);
	if (c == '(' || c == '[' || c == '{') {
		if (lx->depth < (int)sizeof(lx->brackets)) {
			lx->brackets[lx->depth] = (char)c;
			lx->bracket_line[lx->depth] = lx->line;
		}
		lx->depth++;
	} else if (c == ')' || c == ']' || c == '}') {
		char open = c == ')' ? '(' : c == ']' ? '[' : '{';
		if (lx->depth == 0) {
			lex_error(lx, lx->line, "unmatched '%c'", c);
		} else {
			lx->depth--;
			if (lx->depth < (int)sizeof(lx->brackets) && lx->brackets[lx->depth] != open)
				lex_error(lx, lx->line, "closing '%c' does not match '%c' on line %u", c,
				          lx->brackets[lx->depth], lx->bracket_line[lx->depth]);
		}
		t->depth = lx->depth;
	}
	lx->pos = t->end = t->off + n;
}

/* ---- literals ---- */

static bool tok_is(const struct lexer *lx, const struct tok *t, enum tok_kind k,
                   const char *text)
{
	size_t n = strlen(text);
	return t->kind == k && t->end - t->off == n && memcmp(lx->buf + t->off, text, n) == 0;
}

static void add_utf8(struct strbuf *sb, unsigned long cp)
{
	if (cp < 0x80) {
		sb_addc(sb, (char)cp);
	} else if (cp < 0x800) {
		sb_addc(sb, (char)(0xc0 | (cp >> 6)));
		sb_addc(sb, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		sb_addc(sb, (char)(0xe0 | (cp >> 12)));
		sb_addc(sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sb_addc(sb, (char)(0x80 | (cp & 0x3f)));
	} else {
		sb_addc(sb, (char)(0xf0 | (cp >> 18)));
		sb_addc(sb, (char)(0x80 | ((cp >> 12) & 0x3f)));
		sb_addc(sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sb_addc(sb, (char)(0x80 | (cp & 0x3f)));
	}
}

static bool hex_digits(const char *p, const char *e, int n, unsigned long *out)
{
	unsigned long v = 0;
	if (e - p < n)
		return false;
	for (int i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)p[i]))
			return false;
		v = v * 16 + (unsigned long)(isdigit((unsigned char)p[i]) ? p[i] - '0'
		                                             : tolower((unsigned char)p[i]) - 'a' + 10);
	}
	*out = v;
	return true;
}

/* Appends the value of one string token (its escapes processed unless it
 * is raw; line ends as Python reads them, \n). *kind: 'f' for an
 * f-string, 'b' for bytes, 's' otherwise. */
static void string_value(const struct lexer *lx, const struct tok *t, struct strbuf *sb,
                         char *kind)
{
	const char *p = lx->buf + t->off, *e = lx->buf + t->end;
	bool raw = false;
	*kind = 's';
	for (; *p != '\'' && *p != '"'; p++) {
		char c = (char)tolower((unsigned char)*p);
		raw |= c == 'r';
		if (c == 'f' || c == 'b')
			*kind = c;
	}
	size_t ql = p + 2 < e && p[1] == p[0] && p[2] == p[0] && e - p >= 6 ? 3 : 1;
	p += ql;
	e -= ql;
	while (p < e) {
		char c = *p;
		if (c == '\r' && p + 1 < e && p[1] == '\n') {
			p++;
			continue;
		}
		if (c != '\\' || p + 1 >= e) {
			sb_addc(sb, c);
			p++;
			continue;
		}
		char d = p[1];
		if (raw) {
			sb_addc(sb, c);
			sb_addc(sb, d);
			p += 2;
			continue;
		}
		unsigned long v;
		p += 2;
		switch (d) {
		case '\n': break;
		case '\r': if (p < e && *p == '\n') p++; break;
		case '\\': sb_addc(sb, '\\'); break;
		case '\'': sb_addc(sb, '\''); break;
		case '"': sb_addc(sb, '"'); break;
		case 'a': sb_addc(sb, '\a'); break;
		case 'b': sb_addc(sb, '\b'); break;
		case 'f': sb_addc(sb, '\f'); break;
		case 'n': sb_addc(sb, '\n'); break;
		case 'r': sb_addc(sb, '\r'); break;
		case 't': sb_addc(sb, '\t'); break;
		case 'v': sb_addc(sb, '\v'); break;
		case 'x':
			if (hex_digits(p, e, 2, &v)) {
				add_utf8(sb, v);
				p += 2;
			} else {
				sb_adds(sb, "\\x");
			}
			break;
		case 'u':
		case 'U':
			if (*kind != 'b' && hex_digits(p, e, d == 'u' ? 4 : 8, &v) && v <= 0x10ffff) {
				add_utf8(sb, v);
				p += d == 'u' ? 4 : 8;
			} else {
				sb_addc(sb, '\\');
				sb_addc(sb, d);
			}
			break;
		default:
			if (d >= '0' && d <= '7') {
				v = (unsigned long)(d - '0');
				for (int k = 0; k < 2 && p < e && *p >= '0' && *p <= '7'; k++)
					v = v * 8 + (unsigned long)(*p++ - '0');
				add_utf8(sb, v);
			} else {
				/* Python keeps an unknown escape as it is (\N{…} too) */
				sb_addc(sb, '\\');
				sb_addc(sb, d);
			}
		}
	}
}

/* A value as Alembic's header holds it. */
struct pyval {
	enum { PV_NONE, PV_STR, PV_SEQ } kind;
	const char **items;   /* PV_STR: one; PV_SEQ: n (arena) */
	uint32_t n;
};

struct vparse {
	const struct lexer *lx;
	const struct tok *t;
	uint32_t i, n;
	struct arena *a;
	const char *why;       /* what is wrong, when parsing fails */
};

/* Adjacent string tokens, as one string. */
static bool parse_strings(struct vparse *vp, const char **out)
{
	struct strbuf sb = STRBUF_INIT;
	char kind = 's';
	while (vp->i < vp->n && vp->t[vp->i].kind == T_STRING) {
		char k;
		string_value(vp->lx, &vp->t[vp->i++], &sb, &k);
		if (k != 's')
			kind = k;
	}
	if (kind != 's') {
		sb_free(&sb);
		vp->why = kind == 'f' ? "an f-string is computed when the module runs"
		                      : "a bytes literal is not a string";
		return false;
	}
	*out = arena_strdup(vp->a, sb_str(&sb));
	sb_free(&sb);
	return true;
}

static bool parse_seq(struct vparse *vp, struct pyval *v, const char *close);

/* One element: a string, None, or a bracketed sequence. */
static bool parse_atom(struct vparse *vp, struct pyval *v)
{
	const struct lexer *lx = vp->lx;
	memset(v, 0, sizeof(*v));
	if (vp->i >= vp->n) {
		vp->why = "a value is missing";
		return false;
	}
	const struct tok *t = &vp->t[vp->i];
	if (t->kind == T_STRING) {
		v->kind = PV_STR;
		v->items = arena_alloc(vp->a, sizeof(*v->items));
		v->n = 1;
		return parse_strings(vp, &v->items[0]);
	}
	if (tok_is(lx, t, T_NAME, "None")) {
		vp->i++;
		v->kind = PV_NONE;
		return true;
	}
	if (tok_is(lx, t, T_OP, "(") || tok_is(lx, t, T_OP, "[")) {
		bool paren = lx->buf[t->off] == '(';
		vp->i++;
		if (!parse_seq(vp, v, paren ? ")" : "]"))
			return false;
		if (vp->i >= vp->n || !tok_is(lx, &vp->t[vp->i], T_OP, paren ? ")" : "]")) {
			vp->why = "an expression, not a literal";
			return false;
		}
		vp->i++;
		return true;
	}
	vp->why = t->kind == T_NAME ? "a name, whose value is known only when the module runs"
	        : t->kind == T_NUMBER ? "a number, not a string"
	                              : "an expression, not a literal";
	return false;
}

/* Elements separated by commas up to close (NULL: the end). Brackets
 * around one element and no comma are that element ("('a')" is a
 * string); a list, a tuple or a trailing comma make a sequence. */
static bool parse_seq(struct vparse *vp, struct pyval *v, const char *close)
{
	const struct lexer *lx = vp->lx;
	struct pyval el, only = {0};
	bool comma = false, list = close && close[0] == ']';
	const char **items = NULL;
	uint32_t n = 0, cap = 0, total = 0, nones = 0, seqs = 0;
	memset(v, 0, sizeof(*v));
	while (vp->i < vp->n && !(close && tok_is(lx, &vp->t[vp->i], T_OP, close))) {
		if (!parse_atom(vp, &el))
			return false;
		if (total++ == 0)
			only = el;
		if (el.kind == PV_NONE) {
			nones++;
		} else if (el.kind == PV_SEQ) {
			seqs++;
		} else {
			if (n == cap) {
				cap = cap ? cap * 2 : 4;
				const char **ni = arena_alloc(vp->a, cap * sizeof(*ni));
				if (items)
					memcpy(ni, items, n * sizeof(*ni));
				items = ni;
			}
			items[n++] = el.items[0];
		}
		if (vp->i < vp->n && tok_is(lx, &vp->t[vp->i], T_OP, ",")) {
			comma = true;
			vp->i++;
			continue;
		}
		break;
	}
	if (vp->i < vp->n && !(close && tok_is(lx, &vp->t[vp->i], T_OP, close))) {
		vp->why = "an expression, not a literal";
		return false;
	}
	if (total == 0 && !close) {
		vp->why = "a value is missing";
		return false;
	}
	if (total == 1 && !comma && !list) {
		*v = only;
		return true;
	}
	if (seqs || nones) {
		vp->why = seqs ? "a sequence inside a sequence" : "None inside a sequence";
		return false;
	}
	v->kind = PV_SEQ;
	v->items = items;
	v->n = n;
	return true;
}

/* ---- the module ---- */

enum hkey { HK_REVISION, HK_DOWN, HK_LABELS, HK_DEPENDS, HK_COUNT };
static const char *const hkey_names[HK_COUNT] = {
	"revision", "down_revision", "branch_labels", "depends_on",
};

struct pyparse {
	struct lexer lx;
	struct arena *a;
	struct script *s;
	struct pyval vals[HK_COUNT];
	uint32_t val_line[HK_COUNT];
	bool have[HK_COUNT];
	bool first_stmt;
	const char *doc;
	/* The function being read, when in_func. */
	bool in_func;
	enum script_section func;
	size_t func_off;
	size_t last_end;      /* end of the last line of the previous statement */
	bool seen_func[SCRIPT_DOWNGRADE + 1];  /* by section */
};

static int hkey_of(const struct lexer *lx, const struct tok *t)
{
	for (int k = 0; k < HK_COUNT; k++)
		if (tok_is(lx, t, T_NAME, hkey_names[k]))
			return k;
	return -1;
}

/* The source text of tokens [a, b), shortened for a message. */
static char *excerpt(const struct lexer *lx, const struct tok *a, const struct tok *b)
{
	struct strbuf sb = STRBUF_INIT;
	bool space = false;
	for (size_t i = a->off; i < b->end && sb.len < 60; i++) {
		char c = lx->buf[i];
		if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
			space = sb.len > 0;
			continue;
		}
		if (space)
			sb_addc(&sb, ' ');
		space = false;
		sb_addc(&sb, c);
	}
	if (b->end - a->off > 60)
		sb_adds(&sb, "…");
	return sb_detach(&sb);
}

static void close_func(struct pyparse *pp)
{
	if (!pp->in_func)
		return;
	size_t end = pp->last_end > pp->func_off ? pp->last_end : pp->func_off;
	if (pp->func == SCRIPT_UPGRADE) {
		pp->s->up_off = pp->func_off;
		pp->s->up_len = end - pp->func_off;
	} else {
		pp->s->down_off = pp->func_off;
		pp->s->down_len = end - pp->func_off;
	}
	pp->in_func = false;
}

/* The offset just past the line holding byte off (its newline included). */
static size_t line_end(const struct lexer *lx, size_t off)
{
	const char *nl = off < lx->len ? memchr(lx->buf + off, '\n', lx->len - off) : NULL;
	return nl ? (size_t)(nl - lx->buf) + 1 : lx->len;
}

/* "+=", "|=", "//=" and the like. */
static bool augmented(const struct lexer *lx, const struct tok *t)
{
	size_t n = t->end - t->off;
	const char *p = lx->buf + t->off;
	return t->kind == T_OP && n >= 2 && p[n - 1] == '=' && !tok_is(lx, t, T_OP, "==") &&
	       !tok_is(lx, t, T_OP, "!=") && !tok_is(lx, t, T_OP, "<=") &&
	       !tok_is(lx, t, T_OP, ">=") && !tok_is(lx, t, T_OP, ":=");
}

/* One module-level assignment to a header name: targets t[0..], value
 * after the last '=' outside brackets. */
static void assignment(struct pyparse *pp, const struct tok *t, uint32_t n)
{
	const struct lexer *lx = &pp->lx;
	int targets[8], ntargets = 0;
	uint32_t i = 0, value = 0;
	int k = hkey_of(lx, &t[0]);
	if (n > 1 && augmented(lx, &t[1])) {
		lex_error(&pp->lx, t[0].line, "%s is changed by '%.*s' (augmented assignment): "
		          "its value is known only when the module runs; write a literal",
		          hkey_names[k], 2, lx->buf + t[1].off);
		return;
	}
	if (n > 1 && tok_is(lx, &t[1], T_OP, ",")) {
		lex_error(&pp->lx, t[0].line, "%s is assigned by unpacking: write '%s = …' with a "
		          "literal", hkey_names[k], hkey_names[k]);
		return;
	}
	/* NAME [: annotation] = [NAME =]… value */
	while (i < n) {
		if (t[i].kind != T_NAME)
			return;
		int kk = hkey_of(lx, &t[i]);
		uint32_t j = i + 1;
		if (j < n && tok_is(lx, &t[j], T_OP, ":") && i == 0) {
			while (j < n && !(tok_is(lx, &t[j], T_OP, "=") && t[j].depth == t[0].depth))
				j++;
			if (j == n)
				return;  /* an annotation alone assigns nothing */
		}
		if (j >= n || !tok_is(lx, &t[j], T_OP, "="))
			break;
		if (kk >= 0 && ntargets < 8)
			targets[ntargets++] = kk;
		i = j + 1;
		value = i;
		if (!(i + 1 < n && t[i].kind == T_NAME && tok_is(lx, &t[i + 1], T_OP, "=")))
			break;
	}
	if (!ntargets)
		return;
	struct vparse vp = {lx, t + value, 0, n - value, pp->a, NULL};
	struct pyval v;
	bool ok = value < n && parse_seq(&vp, &v, NULL);
	if (!ok) {
		char *ex = value < n ? excerpt(lx, &t[value], &t[n - 1]) : xstrdup("");
		lex_error(&pp->lx, t[0].line, "%s = %s is not a literal (%s): retort reads revisions "
		          "without running Python; write a string, a tuple or list of strings, or "
		          "None", hkey_names[targets[0]], ex, vp.why ? vp.why : "nothing after '='");
		free(ex);
		return;
	}
	for (int x = 0; x < ntargets; x++) {
		pp->vals[targets[x]] = v;
		pp->val_line[targets[x]] = t[0].line;
		pp->have[targets[x]] = true;
	}
}

/* A statement of a logical line, t[0] its first token; top: the line
 * starts at the margin (a module-level statement). */
static void statement(struct pyparse *pp, const struct tok *t, uint32_t n, bool top)
{
	const struct lexer *lx = &pp->lx;
	bool first = pp->first_stmt;
	pp->first_stmt = false;
	if (top)
		close_func(pp);
	if (!top)
		return;
	bool all_strings = true;
	for (uint32_t i = 0; i < n; i++)
		all_strings &= t[i].kind == T_STRING;
	if (first && all_strings) {
		struct vparse vp = {lx, t, 0, n, pp->a, NULL};
		const char *doc;
		if (parse_strings(&vp, &doc))
			pp->doc = doc;
		return;
	}
	if (tok_is(lx, &t[0], T_NAME, "def") && n > 1) {
		bool up = tok_is(lx, &t[1], T_NAME, "upgrade");
		if (up || tok_is(lx, &t[1], T_NAME, "downgrade")) {
			pp->in_func = true;
			pp->func = up ? SCRIPT_UPGRADE : SCRIPT_DOWNGRADE;
			pp->func_off = t[0].off - t[0].col;
			if (up)
				pp->s->up_line = t[0].line;
			else
				pp->s->down_line = t[0].line;
			pp->seen_func[pp->func] = true;
		}
		return;
	}
	if (t[0].kind == T_NAME && hkey_of(lx, &t[0]) >= 0)
		assignment(pp, t, n);
}

static bool py_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
	       (c >= 0x1c && c <= 0x1f);
}

/* Alembic's description: the docstring stripped (longdoc), its first
 * paragraph (up to the first blank line, "\n\n") the message, and the
 * "Create Date:" line the date. */
static void describe(struct pyparse *pp)
{
	struct script *s = pp->s;
	const char *d = pp->doc ? pp->doc : "";
	const char *b = d, *e = d + strlen(d);
	while (b < e && py_space(*b))
		b++;
	while (e > b && py_space(e[-1]))
		e--;
	s->doc = arena_strndup(pp->a, b, (size_t)(e - b));
	const char *para = strstr(s->doc, "\n\n");
	s->message = para ? arena_strndup(pp->a, s->doc, (size_t)(para - s->doc)) : s->doc;
	for (const char *l = s->doc; *l;) {
		const char *nl = strchr(l, '\n');
		const char *le = nl ? nl : l + strlen(l);
		const char *p = l;
		while (p < le && (*p == ' ' || *p == '\t'))
			p++;
		if ((size_t)(le - p) >= 12 && strncmp(p, "Create Date:", 12) == 0) {
			const char *v = p + 12, *ve = le;
			while (v < ve && (*v == ' ' || *v == '\t'))
				v++;
			while (ve > v && py_space(ve[-1]))
				ve--;
			s->create_date = arena_strndup(pp->a, v, (size_t)(ve - v));
			break;
		}
		l = nl ? nl + 1 : le;
	}
}

/* None as no item, a string as one, a sequence as its strings. */
static uint32_t as_list(const struct pyval *v, const char ***out)
{
	if (v->kind == PV_NONE) {
		*out = NULL;
		return 0;
	}
	*out = v->items;
	return v->n;
}

/* Alembic's legacy revision id: a file named after it, "<hex>.py". */
static const char *legacy_rev(struct arena *a, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n <= 3 || strcmp(base + n - 3, ".py") != 0)
		return NULL;
	for (size_t i = 0; i < n - 3; i++)
		if (!isdigit((unsigned char)base[i]) && !(base[i] >= 'a' && base[i] <= 'f'))
			return NULL;
	return arena_strndup(a, base, n - 3);
}

static int py_parse(const char *path, const char *buf, size_t len, struct arena *a,
                    struct script *out, char **errs)
{
	struct script s;
	memset(&s, 0, sizeof(s));
	s.path = arena_strdup(a, path);
	s.message = "";
	s.format = SCRIPT_FORMAT_ALEMBIC;
	int status = script_text_check(path, buf, len, errs);
	if (status != RT_OK)
		return status;

	struct pyparse pp;
	memset(&pp, 0, sizeof(pp));
	pp.lx = (struct lexer){.path = path, .buf = buf, .len = len, .line = 1, .errs = errs};
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		pp.lx.pos = pp.lx.line_start = 3;
	pp.a = a;
	pp.s = &s;
	pp.first_stmt = true;

	struct tok *v = NULL, t;
	uint32_t n = 0, cap = 0;
	do {
		lex_next(&pp.lx, &t);
		if (pp.lx.failed)
			break;
		if (t.kind == T_NEWLINE || t.kind == T_END) {
			/* statements of the line, split at ';' outside brackets */
			uint32_t start = 0;
			for (uint32_t i = 0; i <= n; i++) {
				if (i < n && !(tok_is(&pp.lx, &v[i], T_OP, ";") && v[i].depth == 0))
					continue;
				if (i > start)
					statement(&pp, v + start, i - start, v[0].col == 0);
				start = i + 1;
			}
			if (n)
				pp.last_end = line_end(&pp.lx, v[n - 1].end ? v[n - 1].end - 1 : 0);
			n = 0;
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n++] = t;
	} while (t.kind != T_END && !pp.lx.failed);
	free(v);
	close_func(&pp);
	if (pp.lx.failed)
		return RT_EINPUT;

	describe(&pp);
	s.has_downgrade = pp.seen_func[SCRIPT_DOWNGRADE];
	if (pp.have[HK_REVISION]) {
		s.rev_line = pp.val_line[HK_REVISION];
		if (pp.vals[HK_REVISION].kind != PV_STR)
			status = rt_err(errs, RT_EINPUT, "%s:%u: revision must be a string",
			                path, s.rev_line);
		else
			s.rev = pp.vals[HK_REVISION].items[0];
	} else if (!(s.rev = legacy_rev(a, path))) {
		status = rt_err(errs, RT_EINPUT, "%s:1: no module-level 'revision = …': the "
		                "revision's id is missing", path);
	}
	if (s.rev && !script_valid_rev(s.rev)) {
		char *shown = script_shown(s.rev);
		status = rt_err(errs, RT_EINPUT,
		    "%s:%u: malformed revision '%s': expected 1 to 32 of A-Z a-z 0-9 _", path,
		    s.rev_line ? s.rev_line : 1, shown);
		free(shown);
	}
	if (!pp.have[HK_DOWN]) {
		status = rt_err(errs, RT_EINPUT, "%s:1: no module-level 'down_revision = …' (None "
		                "for a first revision)", path);
	} else {
		s.revises_line = pp.val_line[HK_DOWN];
		s.nparents = as_list(&pp.vals[HK_DOWN], &s.parents);
		if (s.nparents == 1 && !*s.parents[0])
			s.nparents = 0;  /* "" is no revision, as Alembic takes it */
		for (uint32_t i = 0; i < s.nparents; i++) {
			if (script_valid_rev(s.parents[i]))
				continue;
			char *shown = script_shown(s.parents[i]);
			status = rt_err(errs, RT_EINPUT,
			    "%s:%u: malformed revision id '%s' in down_revision", path,
			    s.revises_line, shown);
			free(shown);
		}
	}
	if (pp.have[HK_LABELS]) {
		s.labels_line = pp.val_line[HK_LABELS];
		s.nlabels = as_list(&pp.vals[HK_LABELS], &s.labels);
		if (script_check_labels(path, s.labels_line, s.labels, s.nlabels, errs) != RT_OK)
			status = RT_EINPUT;
	}
	if (pp.have[HK_DEPENDS]) {
		s.depends_line = pp.val_line[HK_DEPENDS];
		s.ndepends = as_list(&pp.vals[HK_DEPENDS], &s.depends);
		for (uint32_t i = 0; i < s.ndepends; i++)
			if (!*s.depends[i])
				status = rt_err(errs, RT_EINPUT, "%s:%u: empty revision in depends_on",
				                path, s.depends_line);
	}
	if (status == RT_OK)
		*out = s;
	return status;
}

/* What Alembic loads from a versions folder: *.py, except __init__ and
 * editors' lock files (".#…"). */
static bool py_wanted(const char *name)
{
	size_t n = strlen(name);
	return n > 3 && strcmp(name + n - 3, ".py") == 0 && strncmp(name, ".#", 2) != 0 &&
	       strncmp(name, "__init__", 8) != 0;
}

const struct script_format script_format_alembic = {
	.name = "alembic",
	.id = SCRIPT_FORMAT_ALEMBIC,
	.exec = SCRIPT_EXEC_DELEGATED,
	.wanted = py_wanted,
	.parse = py_parse,
	.section_title = {"def upgrade()", "def downgrade()"},
	.lang = "python",
};

/* ---- new revisions ---- */

/* Alembic's generic script.py.mako. */
static const char default_template[] =
	"\"\"\"${message}\n"
	"\n"
	"Revision ID: ${up_revision}\n"
	"Revises: ${down_revision | comma,n}\n"
	"Create Date: ${create_date}\n"
	"\n"
	"\"\"\"\n"
	"from alembic import op\n"
	"import sqlalchemy as sa\n"
	"${imports if imports else \"\"}\n"
	"\n"
	"# revision identifiers, used by Alembic.\n"
	"revision = ${repr(up_revision)}\n"
	"down_revision = ${repr(down_revision)}\n"
	"branch_labels = ${repr(branch_labels)}\n"
	"depends_on = ${repr(depends_on)}\n"
	"\n"
	"\n"
	"def upgrade() -> None:\n"
	"    ${upgrades if upgrades else \"pass\"}\n"
	"\n"
	"\n"
	"def downgrade() -> None:\n"
	"    ${downgrades if downgrades else \"pass\"}\n";

/* A Python str literal of s: ids and labels hold no quote or backslash,
 * but a depends_on read from a file may (a label's name is not checked
 * there), and must read back as it was. */
static void repr_str(struct strbuf *sb, const char *s)
{
	sb_addc(sb, '\'');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\\' || c == '\'')
			sb_addf(sb, "\\%c", c);
		else if (c == '\n')
			sb_adds(sb, "\\n");
		else if (c == '\r')
			sb_adds(sb, "\\r");
		else if (c < 0x20 || c == 0x7f)
			sb_addf(sb, "\\x%02x", c);
		else
			sb_addc(sb, (char)c);
	}
	sb_addc(sb, '\'');
}

/* repr of Alembic's value: None, a str for one, a tuple for several (or
 * always a tuple when tuple_one, as branch_labels are). */
static void repr_list(struct strbuf *sb, const char *const *v, uint32_t n, bool tuple_one)
{
	if (n == 0) {
		sb_adds(sb, "None");
		return;
	}
	if (n == 1 && !tuple_one) {
		repr_str(sb, v[0]);
		return;
	}
	sb_addc(sb, '(');
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			sb_adds(sb, ", ");
		repr_str(sb, v[i]);
	}
	sb_adds(sb, n == 1 ? ",)" : ")");
}

/* The value of one ${expr}; false when retort does not know expr. */
static bool expand(struct strbuf *sb, const char *e, size_t n, const struct script_new *x)
{
	char *expr = xstrndup(e, n);
	char *p = expr, *q = expr;
	for (; *p; p++)  /* spaces do not matter in these expressions */
		if (*p != ' ' && *p != '\t')
			*q++ = *p;
	*q = '\0';
	bool ok = true;
	if (!strcmp(expr, "message"))
		sb_adds(sb, x->message);
	else if (!strcmp(expr, "up_revision"))
		sb_adds(sb, x->rev);
	else if (!strcmp(expr, "create_date"))
		sb_adds(sb, x->create_date);
	else if (!strcmp(expr, "down_revision|comma,n"))
		for (uint32_t i = 0; i < x->nparents; i++)
			sb_addf(sb, "%s%s", i ? ", " : "", x->parents[i]);
	else if (!strcmp(expr, "repr(up_revision)"))
		repr_str(sb, x->rev);
	else if (!strcmp(expr, "repr(down_revision)"))
		repr_list(sb, x->parents, x->nparents, false);
	else if (!strcmp(expr, "repr(branch_labels)"))
		repr_list(sb, x->labels, x->nlabels, true);
	else if (!strcmp(expr, "repr(depends_on)"))
		repr_list(sb, x->depends, x->ndepends, false);
	else if (!strcmp(expr, "importsifimportselse\"\"") ||
	         !strcmp(expr, "importsifimportselse''"))
		;
	else if (!strcmp(expr, "upgradesifupgradeselse\"pass\"") ||
	         !strcmp(expr, "downgradesifdowngradeselse\"pass\"") ||
	         !strcmp(expr, "upgradesifupgradeselse'pass'") ||
	         !strcmp(expr, "downgradesifdowngradeselse'pass'"))
		sb_adds(sb, "pass");
	else
		ok = false;
	free(expr);
	return ok;
}

/* The template filled in, or NULL when it is not a plain one. */
static char *fill(const char *t, const struct script_new *x)
{
	struct strbuf sb = STRBUF_INIT;
	bool line_start = true;
	for (const char *p = t; *p;) {
		if (line_start) {
			const char *f = p + strspn(p, " \t");
			/* Mako control lines (% if …), comments (##) */
			if (*f == '%' || (f[0] == '#' && f[1] == '#'))
				goto not_plain;
		}
		if (p[0] == '<' && p[1] == '%')
			goto not_plain;
		if (p[0] == '\\' && (p[1] == '\n' || (p[1] == '\r' && p[2] == '\n')))
			goto not_plain;  /* Mako joins such lines */
		if (p[0] == '$' && p[1] == '{') {
			const char *close = strchr(p + 2, '}');
			if (!close || !expand(&sb, p + 2, (size_t)(close - p - 2), x))
				goto not_plain;
			p = close + 1;
			line_start = false;
			continue;
		}
		line_start = *p == '\n';
		sb_addc(&sb, *p++);
	}
	return sb_detach(&sb);
not_plain:
	sb_free(&sb);
	return NULL;
}

char *script_py_render(const struct script_new *n, const char *template_text, bool *plain)
{
	char *text = template_text ? fill(template_text, n) : NULL;
	if (plain)
		*plain = text != NULL;
	return text ? text : fill(default_template, n);
}

char *script_py_filename(const char *file_template, const char *rev, const char *message,
                         long long epoch, const struct tm *tm)
{
	/* the slug: \w+ runs of the message, joined by '_', lowercase */
	struct strbuf slug = STRBUF_INIT;
	for (const char *p = message; *p;) {
		if (!isalnum((unsigned char)*p) && *p != '_') {
			p++;
			continue;
		}
		if (slug.len)
			sb_addc(&slug, '_');
		while (*p && (isalnum((unsigned char)*p) || *p == '_'))
			sb_addc(&slug, (char)tolower((unsigned char)*p++));
	}
	if (slug.len > 40) {
		slug.buf[40] = '\0';
		char *cut = strrchr(slug.buf, '_');
		if (cut)
			cut[1] = '\0';
		slug.len = strlen(slug.buf);
	}
	const char *t = file_template ? file_template : "%(rev)s_%(slug)s";
	struct strbuf sb = STRBUF_INIT;
	bool ok = true;
	for (const char *p = t; *p && ok;) {
		if (p[0] != '%') {
			sb_addc(&sb, *p++);
			continue;
		}
		if (p[1] == '%') {
			sb_addc(&sb, '%');
			p += 2;
			continue;
		}
		const char *close = p[1] == '(' ? strchr(p + 2, ')') : NULL;
		if (!close) {
			ok = false;
			break;
		}
		char *key = xstrndup(p + 2, (size_t)(close - p - 2));
		const char *f = close + 1;
		char spec[16];
		size_t sl = strspn(f, "-0 +#123456789.");
		if (sl > 8 || !f[sl] || !strchr("sdi", f[sl])) {
			free(key);
			ok = false;
			break;
		}
		long long num = -1;
		const char *str = NULL;
		if (!strcmp(key, "rev")) str = rev;
		else if (!strcmp(key, "slug")) str = sb_str(&slug);
		else if (!strcmp(key, "epoch")) num = epoch;
		else if (!strcmp(key, "year")) num = tm->tm_year + 1900;
		else if (!strcmp(key, "month")) num = tm->tm_mon + 1;
		else if (!strcmp(key, "day")) num = tm->tm_mday;
		else if (!strcmp(key, "hour")) num = tm->tm_hour;
		else if (!strcmp(key, "minute")) num = tm->tm_min;
		else if (!strcmp(key, "second")) num = tm->tm_sec;
		else ok = false;
		free(key);
		if (!ok)
			break;
		bool as_str = f[sl] == 's';
		snprintf(spec, sizeof spec, "%%%.*s%s", (int)sl, f, as_str ? "s" : "lld");
		char buf[256];
		if (as_str && str)
			snprintf(buf, sizeof buf, spec, str);
		else if (as_str)
			snprintf(buf, sizeof buf, "%lld", num);
		else if (!str)
			snprintf(buf, sizeof buf, spec, num);
		else
			ok = false;
		if (ok)
			sb_adds(&sb, buf);
		p = f + sl + 1;
	}
	sb_free(&slug);
	if (!ok) {
		sb_free(&sb);
		return NULL;
	}
	sb_adds(&sb, ".py");
	return sb_detach(&sb);
}
