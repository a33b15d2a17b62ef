/* complete.h: the shell's words and completion. Pure (no terminal, no
 * libedit): the shell binds it to Tab, the console's line editor can use
 * it as well, `retort __complete` answers bash and zsh with it, and the
 * unit tests drive it directly. */
#ifndef RT_COMPLETE_H
#define RT_COMPLETE_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
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

/* Where candidates come from (all borrowed, each may be NULL). */
struct complete_src {
	const struct graph *graph;      /* revisions: NULL gives the keywords only */
	const char *const *builtins;    /* words the face adds to the commands */
	const char *config_path;        /* for target names: NULL is ./retort.ini */
};

/* What the word after words[0..nwords) is, read through the command
 * table (struct cmd_entry's operands, struct cmd_opt's kind), global
 * options anywhere as cli_run reads them. */
struct complete_what {
	bool option;            /* an option's name (kind then CMD_ARG_TEXT) */
	enum cmd_arg_kind kind; /* else the kind of argument */
	const char *choices;    /* CMD_ARG_CHOICE: the option's (borrowed) */
	size_t value_at;        /* --name=VALUE: where VALUE starts, else 0 */
};
struct complete_what complete_kind(char *const *words, int nwords, const char *word);

/* The candidates that extend word: the command names and builtins for
 * the first word; a command's (or a global) option when word starts with
 * '-'; for a revision, the revision ids, branch labels, LABEL@head,
 * LABEL@base, LABEL@<id> and the keywords head, heads, base, current (a
 * range A:B completes its last part); a choice's values; the fleet's
 * targets and groups and "all" (a comma-separated list completes its
 * last item). Nothing for text, files and directories (the shell that
 * asked completes those). out->start is 0. *out: completion_free. */
void complete_words(char *const *words, int nwords, const char *word,
                    const struct complete_src *src, struct completion *out);

/* complete_words for the word that ends at cursor in line, split as
 * complete_split splits it. *out: completion_free. */
void complete_line(const char *line, size_t cursor, const struct complete_src *src,
                   struct completion *out);
void completion_free(struct completion *c);

/* The candidates in columns for a terminal width, down then across as ls
 * lays them out, one "\n" per row. Caller frees. */
char *complete_columns(char *const *items, size_t n, int width);

#endif
