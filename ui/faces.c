/* faces.c: the options of the terminal faces' commands, shared by the
 * console program's real commands and retort's hand-over entries. */
#include "faces.h"

#include <stddef.h>

char **face_argv;

const struct cmd_opt face_tui_opts[] = {
	{"ascii", 0, NULL, "ASCII lines and marks, even on a UTF-8 terminal"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_opt face_shell_opts[] = {
	{"keep-going", 'k', NULL, "with commands piped in, run them all despite failures"},
	{NULL, 0, NULL, NULL},
};
