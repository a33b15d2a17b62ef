/* tui.c: the console (being written). */
#include <stdio.h>

#include "tui.h"

static int run_tui(struct cli_ctx *c, int argc, char **argv)
{
	fprintf(c->errf, "retort tui: the console is not available in this build\n");
	return RT_EFAIL;
}

static const struct cmd_opt tui_opts[] = {{NULL, 0, NULL, NULL}};

const struct cmd_entry cmd_tui = {
	"tui", NULL, "the full-screen console", tui_opts, 0, run_tui,
};
