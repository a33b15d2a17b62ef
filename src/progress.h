/* progress.h: a progress line for long operations (upgrade, downgrade,
 * backup, and whatever else takes a while: a fleet run, autogenerate),
 * shared by the command-line faces.
 *
 * It is drawn on standard error only when standard error is a terminal
 * and the command is neither --quiet nor --json: "WHAT [=====>      ] 3/7 LABEL",
 * rewritten in place, cut to the terminal's width, cleared when done. In a
 * pipe or a file it prints nothing at all, so that logs stay clean. Its
 * bar is coloured when cli_color says standard error is. */
#ifndef RT_PROGRESS_H
#define RT_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct cli_ctx;

struct progress_line {
	bool shown;         /* a terminal, not --quiet: draw */
	bool color;
	bool drawn;         /* a line is on the screen now */
	const char *what;   /* borrowed: "upgrade", "backup" … */
};

/* Whether and how c's command shows progress (nothing is drawn yet). */
void progress_init(struct progress_line *p, const struct cli_ctx *c, const char *what);
/* done of total (total 0: unknown, a count alone), label: what is being
 * done now (may be NULL; control characters are shown, not obeyed). */
void progress_update(struct progress_line *p, uint64_t done, uint64_t total,
                     const char *label);
/* A fraction 0..1, shown as a percentage. */
void progress_fraction(struct progress_line *p, double fraction, const char *label);
/* Erases the line, before anything else is printed, and at the end. */
void progress_clear(struct progress_line *p);

#endif
