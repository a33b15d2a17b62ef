/* sqlscope.c: see sqlscope.h. */
#include "sqlscope.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* How deep DO bodies and the strings inside them are read: a DO block's
 * code (1), a string it executes (2), one built inside that (3). */
#define SCOPE_NESTING 3

static const char ROLES[] = "the cluster's roles";
static const char TABLESPACES[] = "the cluster's tablespaces";
static const char DATABASES[] = "the cluster's databases";
static const char CONFIG[] = "the server's configuration";
static const char SERVER[] = "another server";
static const char FILES[] = "the server's files and programs";
static const char OTHER_FILE[] = "another database file";

struct tk {
	enum sql_tok type;
	const char *s;
	size_t len;
	uint32_t depth;            /* parentheses around the token */
};

struct toks {
	struct tk *v;
	uint32_t n, cap;
};

/* The tokens of text, comments left out; stops at an unterminated one. */
static void lex(const char *text, size_t len, enum sql_dialect d, struct toks *out)
{
	struct sqllex lx;
	struct sql_token t;
	uint32_t depth;
	out->n = 0;
	sqllex_init(&lx, text, len, d, 1);
	while (sqllex_next_code(&lx, &t, &depth)) {
		if (out->n == out->cap) {
			out->cap = out->cap ? 2 * out->cap : 32;
			out->v = xrealloc(out->v, out->cap * sizeof(*out->v));
		}
		out->v[out->n++] = (struct tk){t.type, text + t.off, t.len, depth};
	}
}

/* w is lowercase. */
static bool kw(const struct toks *t, uint32_t i, uint32_t end, const char *w)
{
	if (i >= end || t->v[i].type != SQL_TOK_WORD || strlen(w) != t->v[i].len)
		return false;
	for (size_t k = 0; k < t->v[i].len; k++) {
		unsigned char a = (unsigned char)t->v[i].s[k];
		if (a >= 'A' && a <= 'Z')
			a |= 0x20;
		if (a != (unsigned char)w[k])
			return false;
	}
	return true;
}

/* The first i in [from, end) with the word w outside parentheses, or end. */
static uint32_t find_kw(const struct toks *t, uint32_t from, uint32_t end, const char *w)
{
	for (uint32_t i = from; i < end; i++)
		if (t->v[i].depth == 0 && kw(t, i, end, w))
			return i;
	return end;
}

/* The words [i, i + n) in capitals, space-separated, after prefix. */
static void name_words(const char *prefix, const struct toks *t, uint32_t i, uint32_t n,
                       char *what, size_t whatsz)
{
	int at = snprintf(what, whatsz, "%s", prefix);
	for (uint32_t k = 0; k < n && at >= 0 && (size_t)at + 1 < whatsz; k++) {
		const struct tk *w = &t->v[i + k];
		if (k || *prefix)
			what[at++] = ' ';
		for (size_t c = 0; c < w->len && (size_t)at + 1 < whatsz; c++) {
			char ch = w->s[c];
			what[at++] = ch >= 'a' && ch <= 'z' ? (char)(ch - 32) : ch;
		}
	}
	if (at >= 0 && (size_t)at < whatsz)
		what[at] = '\0';
}

/* A string token's text, its quotes ('…', E'…', $tag$…$tag$) taken off;
 * escapes are left as they are, which words do not contain. */
static bool string_text(const struct tk *s, const char **text, size_t *len)
{
	size_t open = 1, close = 1;
	if (s->s[0] == '$') {
		while (open < s->len && s->s[open] != '$')
			open++;
		close = ++open;
	} else if (s->s[0] != '\'') {
		open = 2; /* E'…' and the like */
	}
	if (s->len < open + close)
		return false;
	*text = s->s + open;
	*len = s->len - open - close;
	return true;
}

/* The scope of a shared object's kind at i ("ROLE", "DATABASE", …). */
static const char *shared_kind(const struct toks *t, uint32_t i, uint32_t end)
{
	if (kw(t, i, end, "role") || kw(t, i, end, "group") ||
	    (kw(t, i, end, "user") && !kw(t, i + 1, end, "mapping")))
		return ROLES;
	if (kw(t, i, end, "tablespace"))
		return TABLESPACES;
	if (kw(t, i, end, "database"))
		return DATABASES;
	return NULL;
}

static const char *statement(const struct toks *t, uint32_t i, uint32_t end,
                             enum sql_dialect d, int nesting, char *what, size_t whatsz);

/* A DO block's code, or a string's text: any statement in it that acts
 * beyond the database, wherever it starts (after THEN, in EXECUTE '…'). */
static const char *inside(const char *text, size_t len, int nesting, char *what,
                          size_t whatsz)
{
	if (nesting > SCOPE_NESTING)
		return NULL;
	struct toks t = {0};
	lex(text, len, SQL_POSTGRES, &t);
	const char *scope = NULL;
	uint32_t end = 0;
	for (uint32_t i = 0; i < t.n && !scope; i++) {
		if (end <= i) {
			end = i;
			while (end < t.n && t.v[end].type != SQL_TOK_SEMI)
				end++;
		}
		const char *str;
		size_t n;
		if (t.v[i].type == SQL_TOK_WORD)
			scope = statement(&t, i, end, SQL_POSTGRES, nesting, what, whatsz);
		else if (t.v[i].type == SQL_TOK_STRING && string_text(&t.v[i], &str, &n))
			scope = inside(str, n, nesting + 1, what, whatsz);
	}
	free(t.v);
	return scope;
}

/* A DO block: its code is its string ($$…$$ or '…'). */
static const char *do_block(const struct toks *t, uint32_t i, uint32_t end, int nesting,
                            char *what, size_t whatsz)
{
	for (uint32_t k = i + 1; k < end; k++) {
		const char *code;
		size_t n;
		if (t->v[k].type != SQL_TOK_STRING || !string_text(&t->v[k], &code, &n))
			continue;
		char inner[64];
		const char *scope = inside(code, n, nesting + 1, inner, sizeof inner);
		if (scope)
			snprintf(what, whatsz, "DO block (%s inside)", inner);
		return scope;
	}
	return NULL;
}

static const char *statement(const struct toks *t, uint32_t i, uint32_t end,
                             enum sql_dialect d, int nesting, char *what, size_t whatsz)
{
	const char *scope = NULL, *prefix = "";
	uint32_t from = i, nwords = 2;
	if (d == SQL_SQLITE) {
		nwords = 1;
		if (kw(t, i, end, "attach") || kw(t, i, end, "detach") ||
		    (kw(t, i, end, "vacuum") && find_kw(t, i, end, "into") < end))
			scope = OTHER_FILE;
	} else if (kw(t, i, end, "alter") || kw(t, i, end, "create") || kw(t, i, end, "drop")) {
		if (!(scope = shared_kind(t, i + 1, end))) {
			if (kw(t, i + 1, end, "subscription"))
				scope = SERVER;
			else if (kw(t, i, end, "alter") && kw(t, i + 1, end, "system"))
				scope = CONFIG;
			else if (kw(t, i, end, "drop") && kw(t, i + 1, end, "owned"))
				scope = ROLES;
		}
	} else if (kw(t, i, end, "reassign") && kw(t, i + 1, end, "owned")) {
		scope = ROLES;
	} else if (kw(t, i, end, "grant") || kw(t, i, end, "revoke")) {
		/* GRANT privileges ON object TO …; GRANT role TO role has no ON */
		bool grant = kw(t, i, end, "grant");
		uint32_t to = find_kw(t, i + 1, end, grant ? "to" : "from");
		uint32_t on = find_kw(t, i + 1, to, "on");
		if (to == end)
			return NULL;
		if (on == to) {
			snprintf(what, whatsz, "%s of a role", grant ? "GRANT" : "REVOKE");
			return ROLES;
		}
		scope = kw(t, on + 1, end, "parameter") ? CONFIG : shared_kind(t, on + 1, end);
		prefix = grant ? "GRANT" : "REVOKE";
		from = on;
	} else if (kw(t, i, end, "comment") && kw(t, i + 1, end, "on")) {
		scope = shared_kind(t, i + 2, end);
		nwords = 3;
	} else if (kw(t, i, end, "security") && kw(t, i + 1, end, "label")) {
		/* SECURITY LABEL [FOR provider] ON kind … */
		uint32_t on = find_kw(t, i + 2, end, "on");
		scope = shared_kind(t, on + 1, end);
		prefix = "SECURITY LABEL";
		from = on;
	} else if (kw(t, i, end, "copy")) {
		/* to a file or a program, or from a program: on the server */
		uint32_t dir = find_kw(t, i + 1, end, "to");
		if (dir == end)
			dir = find_kw(t, i + 1, end, "from");
		if (kw(t, dir + 1, end, "program") ||
		    (kw(t, dir, end, "to") && dir + 1 < end && t->v[dir + 1].type == SQL_TOK_STRING))
			scope = FILES;
		nwords = 1;
	} else if (kw(t, i, end, "do")) {
		return do_block(t, i, end, nesting, what, whatsz);
	}
	if (scope)
		name_words(prefix, t, from, nwords, what, whatsz);
	return scope;
}

const char *sqlscope_beyond(const char *sql, size_t len, enum sql_dialect d,
                            char *what, size_t whatsz)
{
	struct toks t = {0};
	lex(sql, len, d, &t);
	const char *scope = t.n ? statement(&t, 0, t.n, d, 0, what, whatsz) : NULL;
	free(t.v);
	return scope;
}
