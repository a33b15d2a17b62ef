/* shell.h: the interactive command line (retort(1) `shell`), libedit. */
#ifndef RT_SHELL_H
#define RT_SHELL_H

#include "cli.h"

/* `retort shell`. */
extern const struct cmd_entry cmd_shell;

/* Reads one command line with libedit (the shell's history and completion)
 * after printing prompt, runs it through the command table with c's
 * options, and returns its exit status; -1 when the user entered nothing
 * or pressed Ctrl-D. The console calls it for its `:` line with curses
 * suspended (endwin), so libedit never shares the terminal with curses. */
int shell_once(struct cli_ctx *c, const char *prompt);

#endif
