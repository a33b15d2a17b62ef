/* faces_exec.c: retort's `tui` and `shell`: hand the whole command line
 * over to the console program, which has the same engine and the faces.
 *
 * The console program is looked for next to the running retort (a build
 * tree, or an install that keeps both in one directory), then in
 * RT_PKGLIBEXECDIR (an install: $(libexecdir)/retort). The process is
 * replaced, so its id, terminal and signals stay the caller's. */
#include "faces.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef RT_PKGLIBEXECDIR
#define RT_PKGLIBEXECDIR "/usr/local/libexec/retort"
#endif

#define CONSOLE "retort-console"

static int hand_over(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	char self[PATH_MAX];
	char *beside = NULL;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			beside = xasprintf("%s/%s", self, CONSOLE);
		}
	}
	const char *where[] = {beside, RT_PKGLIBEXECDIR "/" CONSOLE};
	int err = ENOENT;
	fflush(c->out);
	fflush(c->errf);
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		if (!where[i] || access(where[i], X_OK) != 0)
			continue;
		execv(where[i], face_argv);
		err = errno;
	}
	fprintf(c->errf, "cannot start the console program %s (looked beside %s and in %s): %s\n",
	        CONSOLE, n > 0 ? self : "retort", RT_PKGLIBEXECDIR, strerror(err));
	free(beside);
	return RT_EFAIL;
}

static const struct cmd_entry exec_tui = {
	FACE_TUI_NAME, NULL, FACE_TUI_HELP, face_tui_opts, 0, hand_over,
};

static const struct cmd_entry exec_shell = {
	FACE_SHELL_NAME, NULL, FACE_SHELL_HELP, face_shell_opts, 0, hand_over,
};

const struct cmd_entry *const face_commands[] = {&exec_tui, &exec_shell, NULL};
