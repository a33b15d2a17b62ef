/* sqltoks.h: a statement's code tokens as an array, and the questions the
 * DDL readers ask of them: lint (lint.c), CREATE TABLE's column
 * definitions (ddl.c) and SQLite's CREATE TABLE (schema_parse.c). One
 * definition of what a keyword, a piece of punctuation and a name are,
 * over the one lexer (sqllex.h). */
#ifndef RT_SQLTOKS_H
#define RT_SQLTOKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sqllex.h"

struct sqltok {
	enum sql_tok type;
	const char *s;             /* borrowed from the text read */
	uint32_t len;
	uint32_t line;
	uint32_t depth;            /* parentheses around the token */
};

/* An array of tokens; the array is owned (sqltoks_free), the text not. */
struct sqltoks {
	struct sqltok *v;
	uint32_t n, cap;
};

/* Lexes [p, p+n) into ts (its tokens replaced, its array reused),
 * comments left out, each token with its parenthesis depth; line: the
 * line p starts at. False when the text ends in an unterminated quote or
 * comment (the tokens before it are kept). */
bool sqltoks_read(struct sqltoks *ts, const char *p, size_t n, enum sql_dialect d,
                  uint32_t line);
void sqltoks_free(struct sqltoks *ts);

/* v[i] of n, or an end-of-text token past the end. */
const struct sqltok *sqltok_at(const struct sqltok *v, uint32_t n, uint32_t i);
/* A word token that is kw, compared without case (ASCII). */
bool sqltok_word(const struct sqltok *t, const char *kw);
/* The one-character punctuation c. */
bool sqltok_punct(const struct sqltok *t, char c);
/* A bare or quoted identifier. */
bool sqltok_name(const struct sqltok *t);

/* The text of a quoted identifier s[0, n) ("…", [..], `..`) without its
 * quotes, doubled quotes undone, into out (n bytes at least, terminated);
 * returns its length. */
size_t sql_unquote(const char *s, size_t n, char *out);

#endif
