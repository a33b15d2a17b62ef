/* faces.h: the terminal faces' commands (`tui`, `shell`) as the command
 * table lists them.
 *
 * The console and the shell need ncurses and libedit, which every other
 * command would pay for at start-up. So `retort` is built without them:
 * its `tui` and `shell` entries (faces_exec.c) hand the command line over
 * to the console program (retort-console: the whole engine plus the
 * faces), which runs it as `retort` would. Both tables share the names,
 * options and help below. */
#ifndef RT_FACES_H
#define RT_FACES_H

#include "cli.h"

#define FACE_TUI_NAME "tui"
#define FACE_TUI_HELP "the full-screen console"
#define FACE_SHELL_NAME "shell"
#define FACE_SHELL_HELP "the interactive command line (commands without 'retort')"
extern const struct cmd_opt face_tui_opts[];
extern const struct cmd_opt face_shell_opts[];

/* The faces' commands of this program, NULL-terminated (for
 * cli_add_commands). */
extern const struct cmd_entry *const face_commands[];

/* The program's whole command line, kept by main for the hand-over. */
extern char **face_argv;

#endif
