/* complete.h: the shell's words and completion. Pure (no terminal, no
 * libedit): the shell binds it to Tab, the console's line editor can use
 * it as well, and the unit tests drive it directly. */
#ifndef RT_COMPLETE_H
#define RT_COMPLETE_H

#include <stdbool.h>
#include <stddef.h>

#include "graph.h"

/* A command line split into words. */
struct complete_words {
	char **v;           /* n words, NULL-terminated (owned) */
	int n;
	size_t last_start;  /* byte offset of the last word in the line */
	bool last_open;     /* the line ends inside its last word */
};

/* Splits line[0..len) as a POSIX shell splits words, without expanding
 * anything: blanks separate words; '…' keeps its text literally; "…" keeps
 * its text except that \" \\ \$ \` stand for the second character; outside
 * quotes a backslash takes the next character literally. A line whose
 * first word starts with an unquoted '#' is a comment (no words).
 * partial: the line is being typed, so an open quote or a final backslash
 * is not an error. Errors: RT_EUSAGE with the reason in *err.
 * *out: complete_split_free. */
int complete_split(const char *line, size_t len, bool partial,
                   struct complete_words *out, char **err);
void complete_split_free(struct complete_words *w);

/* What Tab does to a line. */
struct completion {
	char **items;       /* the candidates, sorted, unique (owned) */
	size_t n;
	size_t start;       /* where the word being completed begins (bytes) */
	char *replace;      /* the text for line[start..cursor): the candidate
	                       and a space when it is the only one, else the
	                       candidates' common prefix (owned; NULL if n == 0) */
	bool list;          /* several candidates: show them */
};

/* Completes the word that ends at cursor: the first word from the command
 * names and builtins (a NULL-terminated list, borrowed); an option of the
 * command (or a global one) when the word starts with '-'; for an operand
 * or an option value that is a revision (TARGET, SPEC, RANGE), the
 * revision ids, branch labels, LABEL@head, LABEL@base, LABEL@<id> and the
 * keywords head, heads, base, current. g may be NULL (no scripts): then
 * only the keywords. *out: completion_free. */
void complete_line(const char *line, size_t cursor, const struct graph *g,
                   const char *const *builtins, struct completion *out);
void completion_free(struct completion *c);

/* The candidates in columns for a terminal width, down then across as ls
 * lays them out, one "\n" per row. Caller frees. */
char *complete_columns(char *const *items, size_t n, int width);

#endif
