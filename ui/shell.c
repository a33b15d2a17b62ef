/* shell.c: the interactive shell (being written). */
#include <stdio.h>

#include "shell.h"

static int run_shell(struct cli_ctx *c, int argc, char **argv)
{
	fprintf(c->errf, "retort shell: the shell is not available in this build\n");
	return RT_EFAIL;
}

int shell_once(struct cli_ctx *c, const char *prompt)
{
	return -1;
}

static const struct cmd_opt shell_opts[] = {{NULL, 0, NULL, NULL}};

const struct cmd_entry cmd_shell = {
	"shell", NULL, "the interactive command line", shell_opts, 0, run_shell,
};
