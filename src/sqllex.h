/* sqllex.h: a small SQL lexer shared by the runner (statement splitting, so
 * that a failure names the line of the failing statement and `Transaction:
 * none` scripts run statement by statement) and by lint (tokens).
 *
 * It understands '…' strings (with '' escapes), E'…' strings with backslash
 * escapes (PostgreSQL), "…" identifiers, [..] and `..` identifiers (SQLite),
 * -- and block comments (PostgreSQL nests them), $tag$…$tag$
 * dollar quoting (PostgreSQL), and CREATE TRIGGER … BEGIN … END bodies
 * (SQLite), whose inner semicolons do not end the statement. */
#ifndef RT_SQLLEX_H
#define RT_SQLLEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sql_dialect { SQL_SQLITE, SQL_POSTGRES };

enum sql_tok {
	SQL_TOK_EOF,
	SQL_TOK_WORD,       /* keyword or bare identifier */
	SQL_TOK_QIDENT,     /* "quoted" identifier (also [x] and `x`) */
	SQL_TOK_STRING,     /* '…', E'…', $$…$$ */
	SQL_TOK_NUMBER,
	SQL_TOK_PUNCT,      /* one operator or punctuation character (or ::, <=, …) */
	SQL_TOK_SEMI,       /* ; */
	SQL_TOK_COMMENT,    /* -- … or / * … * / */
	SQL_TOK_ERROR       /* unterminated string, identifier or comment */
};

struct sql_token {
	enum sql_tok type;
	size_t off;         /* byte offset in the text */
	size_t len;
	uint32_t line;      /* 1-based line of the token's first byte */
};

struct sqllex {
	const char *text;   /* borrowed */
	size_t len;
	size_t pos;
	uint32_t line;
	enum sql_dialect dialect;
	uint32_t depth;     /* sqllex_next_code: parentheses open */
	bool opened;        /* sqllex_next_code: the last token was '(' */
};

/* first_line: the line number the text starts at in its file. */
void sqllex_init(struct sqllex *lx, const char *text, size_t len,
                 enum sql_dialect dialect, uint32_t first_line);
/* Next token (whitespace skipped, comments returned). */
void sqllex_next(struct sqllex *lx, struct sql_token *tok);
/* The next token that is not a comment and *depth, the number of
 * parentheses open around it (a ')' is at the depth of its '('). False at
 * the end of the text or at an unterminated token. */
bool sqllex_next_code(struct sqllex *lx, struct sql_token *tok, uint32_t *depth);
/* Case-insensitive comparison of a WORD token with a keyword. */
int sqllex_is(const struct sqllex *lx, const struct sql_token *tok, const char *kw);

struct sql_stmt {
	size_t off;         /* first byte of the statement's first token */
	size_t len;         /* up to and excluding the terminating ';' */
	uint32_t line;      /* line of the first token (first_line based) */
};

/* When the statement text[0, len) begins or ends a transaction (BEGIN,
 * START TRANSACTION, COMMIT, END, ROLLBACK but not ROLLBACK TO a savepoint,
 * ABORT, PREPARE TRANSACTION, COMMIT/ROLLBACK PREPARED), the words that
 * say so ("COMMIT", "START TRANSACTION", …, static); else NULL. SAVEPOINT
 * and RELEASE work inside a transaction and are not reported. */
const char *sqllex_txn_control(const char *text, size_t len, enum sql_dialect dialect);

/* Splits text into statements. Empty statements (only comments and
 * blanks) are dropped. *out is malloc'd (caller frees), *n its length.
 * Returns RT_OK, or RT_EINPUT with "line N: unterminated …" in *err. */
int sqllex_split(const char *text, size_t len, enum sql_dialect dialect,
                 uint32_t first_line, struct sql_stmt **out, uint32_t *n,
                 char **err);

/* Whether the statement text[0..len) sets the SQLite pragma `name`:
 * PRAGMA [schema.]name = value, or PRAGMA [schema.]name(value), in any
 * case, the name bare or quoted. A PRAGMA that only reads the setting (no
 * value) does not set it. Returns 1 or 0. */
int sqllex_sets_pragma(const char *text, size_t len, const char *name);

#endif
